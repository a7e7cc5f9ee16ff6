package knowledge

import (
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/BurntSushi/toml"
)

// tomlExamples decodes src with the TOML decoder, as the slow path does.
func tomlExamples(src string) ([]CrisisExample, error) {
	var f struct {
		Example []CrisisExample `toml:"example"`
	}
	md, err := toml.Decode(src, &f)
	if err == nil && len(md.Undecoded()) > 0 {
		return nil, os.ErrInvalid
	}
	return f.Example, err
}

// checkFastMatchesTOML fails when decodeExamplesFast accepts src but reads it differently from
// the TOML decoder, or accepts what the decoder refuses.
func checkFastMatchesTOML(t *testing.T, name, src string) bool {
	t.Helper()
	got, ok := decodeExamplesFast(src)
	if !ok {
		return false
	}
	want, err := tomlExamples(src)
	if err != nil {
		t.Errorf("%s: the fast path read %d examples; the TOML decoder refuses the file: %v", name, len(got), err)
		return true
	}
	if len(got) == 0 && len(want) == 0 {
		return true
	}
	if !reflect.DeepEqual(got, want) {
		for i := range min(len(got), len(want)) {
			if got[i] != want[i] {
				t.Errorf("%s: example %d: fast %+v, TOML %+v", name, i, got[i], want[i])
				return true
			}
		}
		t.Errorf("%s: fast path read %d examples, TOML %d", name, len(got), len(want))
	}
	return true
}

// TestFastExamplesMatchTOML: every example file of the knowledge base reads the same through the
// fast path as through the TOML decoder, and the fast path takes them all (the speed-up is for
// them); the table's files it must either read as TOML does or leave to the decoder.
func TestFastExamplesMatchTOML(t *testing.T) {
	names, err := filepath.Glob(filepath.Join("crisis-examples", "*.toml"))
	if err != nil || len(names) == 0 {
		t.Fatalf("no example files: %v", err)
	}
	for _, name := range names {
		data, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		if !checkFastMatchesTOML(t, name, string(data)) {
			t.Errorf("%s: the fast path left the file to the TOML decoder", name)
		}
	}
	tests := []struct {
		name, src string
		fast      bool
	}{
		{"plain", "# c\n\n[[example]]\ntext = \"hej\"\ntier = \"none\"\nkind = \"idiom\"\nlang = \"da\"\n", true},
		{"indented and spaced", "  [[example]]  \n  text   =   \"a b\"  \n\ttier = \"acute\"\n", true},
		{"escapes", `[[example]]` + "\n" + `text = "sagde \"stop\" \\ \t \u00e6 \U0001F600 \n"` + "\n", true},
		{"no newline at the end", "[[example]]\ntext = \"x\"", true},
		{"empty file", "", true},
		{"only comments", "# a\n# b\n", true},
		{"unknown key", "[[example]]\ntext = \"x\"\nnote = \"y\"\n", false},
		{"duplicate key", "[[example]]\ntext = \"x\"\ntext = \"y\"\n", false},
		{"key before a table", "text = \"x\"\n[[example]]\n", false},
		{"trailing comment", "[[example]]\ntext = \"x\" # c\n", false},
		{"literal string", "[[example]]\ntext = 'x'\n", false},
		{"multi-line string", "[[example]]\ntext = \"\"\"x\n\"\"\"\n", false},
		{"unknown escape", `[[example]]` + "\n" + `text = "a \q"` + "\n", false},
		{"hex escape", `[[example]]` + "\n" + `text = "a \x41"` + "\n", false},
		{"surrogate escape", `[[example]]` + "\n" + `text = "a \ud800"` + "\n", false},
		{"short unicode escape", `[[example]]` + "\n" + `text = "a \u00e"` + "\n", false},
		{"quote inside", "[[example]]\ntext = \"a\"b\"\n", false},
		{"control character", "[[example]]\ntext = \"a\x01b\"\n", false},
		{"carriage return", "[[example]]\r\ntext = \"x\"\r\n", false},
		{"not a string", "[[example]]\ntext = 3\n", false},
		{"quoted key", "[[example]]\n\"text\" = \"x\"\n", false},
		{"other table", "[example]\ntext = \"x\"\n", false},
		{"invalid UTF-8", "[[example]]\ntext = \"\xff\"\n", false},
	}
	for _, tt := range tests {
		if got := checkFastMatchesTOML(t, tt.name, tt.src); got != tt.fast {
			t.Errorf("%s: fast path took it = %v; want %v", tt.name, got, tt.fast)
		}
	}
}

// FuzzFastExamples checks that the fast path never reads a file differently from the TOML
// decoder.
func FuzzFastExamples(f *testing.F) {
	f.Add("[[example]]\ntext = \"hej \\\"du\\\" \\u00e6\"\ntier = \"none\"\nkind = \"idiom\"\n")
	f.Add("# c\n[[example]]\ntext = \"a\\tb\"\nlang = \"en\"\n")
	f.Add("[[example]]\ntext = \"x\"\n\n[[example]]\ntier = \"acute\"\n")
	f.Fuzz(func(t *testing.T, src string) {
		checkFastMatchesTOML(t, "fuzz", src)
	})
}
