package crisis

import (
	"testing"
	"testing/fstest"
)

// TestCodeFingerprint checks that the fingerprint changes with the trainer's Go code and with
// nothing else (tests, data files), and that the compiled-in source gives one.
func TestCodeFingerprint(t *testing.T) {
	if CodeFingerprint() == "" {
		t.Fatal("CodeFingerprint() is empty for the compiled-in source")
	}
	trainer := fstest.MapFS{"train.go": {Data: []byte("package crisis // v1\n")}}
	reader := fstest.MapFS{"language.go": {Data: []byte("package knowledge\n")}}
	base := codeFingerprint(trainer, reader)
	tests := []struct {
		name    string
		file    string
		text    string
		changes bool
	}{
		{"a test file", "train_test.go", "package crisis\n", false},
		{"a data file", "crisis.toml", "[[rule]]\n", false},
		{"the editors' guide", "README.md", "# Vejledning\n", false},
		{"the trainer's code", "train.go", "package crisis // v2\n", true},
		{"a new Go file", "extra.go", "package crisis\n", true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			trainer[tc.file] = &fstest.MapFile{Data: []byte(tc.text)}
			got := codeFingerprint(trainer, reader)
			if changed := got != base; changed != tc.changes {
				t.Errorf("fingerprint changed = %v; want %v", changed, tc.changes)
			}
			base = got
		})
	}
	if got, want := codeFingerprint(reader, trainer) != base, true; got != want {
		t.Errorf("swapping the two sources left the fingerprint alone")
	}
}
