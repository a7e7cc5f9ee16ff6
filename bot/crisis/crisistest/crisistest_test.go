package crisistest

import (
	"os"
	"path/filepath"
	"testing"
)

// TestSourceSalt checks that the salt changes with the trainer's Go code and with nothing else:
// not with its tests, test data, data files or files outside trainerDirs.
func TestSourceSalt(t *testing.T) {
	root := t.TempDir()
	write := func(rel, text string) {
		t.Helper()
		p := filepath.Join(root, rel)
		if err := os.MkdirAll(filepath.Dir(p), 0o700); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(text), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	write("go.mod", "module x\n")
	write("bot/crisis/train.go", "package crisis // v1\n")
	write("knowledge/crisis.toml", "[[rule]]\n")
	base, err := sourceSalt(root)
	if err != nil || base == "" {
		t.Fatalf("sourceSalt = %q, %v", base, err)
	}
	tests := []struct {
		name, rel, text string
		changes         bool
	}{
		{"a test file", "bot/crisis/train_test.go", "package crisis\n", false},
		{"test data", "knowledge/testdata/broken.toml", "x", false},
		{"this package", "bot/crisis/crisistest/crisistest.go", "package crisistest // v2\n", false},
		{"another package", "bot/respond.go", "package bot // v2\n", false},
		{"the trainer's code", "bot/crisis/train.go", "package crisis // v2\n", true},
		{"a data file", "knowledge/crisis.toml", "[[rule]]\nkind = \"plan\"\n", false},
		{"the editors' guide", "knowledge/README.md", "# Vejledning\n", false},
		{"the knowledge package's code", "knowledge/language.go", "package knowledge\n", true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			write(tc.rel, tc.text)
			got, err := sourceSalt(root)
			if err != nil {
				t.Fatal(err)
			}
			if changed := got != base; changed != tc.changes {
				t.Errorf("salt changed = %v; want %v", changed, tc.changes)
			}
			base = got
		})
	}
}
