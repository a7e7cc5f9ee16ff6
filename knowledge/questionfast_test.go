package knowledge

import (
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/BurntSushi/toml"
)

// checkFastQuestionsMatchTOML fails when decodeQuestionsFast accepts src but reads it
// differently from the TOML decoder, or accepts what the decoder refuses. It reports whether
// the fast path took src.
func checkFastQuestionsMatchTOML(t *testing.T, name, src string) bool {
	t.Helper()
	got, ok := decodeQuestionsFast(src)
	if !ok {
		return false
	}
	var f struct {
		Q []Question `toml:"q"`
	}
	md, err := toml.Decode(src, &f)
	if err == nil && len(md.Undecoded()) > 0 {
		err = os.ErrInvalid
	}
	if err != nil {
		t.Errorf("%s: the fast path read %d questions; the TOML decoder refuses the file: %v", name, len(got), err)
		return true
	}
	if len(got) == 0 && len(f.Q) == 0 {
		return true
	}
	if !reflect.DeepEqual(got, f.Q) {
		for i := range min(len(got), len(f.Q)) {
			if !reflect.DeepEqual(got[i], f.Q[i]) {
				t.Errorf("%s: question %d: fast %#v, TOML %#v", name, i, got[i], f.Q[i])
				return true
			}
		}
		t.Errorf("%s: fast path read %d questions, TOML %d", name, len(got), len(f.Q))
	}
	return true
}

// TestFastQuestionsMatchTOML: every asked file and the questions file read the same through
// the fast path as through the TOML decoder, and the fast path takes all the asked files (the
// speed-up is for them); the table's files it must either read as TOML does or leave to the
// decoder.
func TestFastQuestionsMatchTOML(t *testing.T) {
	names, err := filepath.Glob(filepath.Join(AskedDir, "*.toml"))
	if err != nil || len(names) == 0 {
		t.Fatalf("no asked files: %v", err)
	}
	for _, name := range append(names, QuestionsFile) {
		data, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		if !checkFastQuestionsMatchTOML(t, name, string(data)) && name != QuestionsFile {
			t.Errorf("%s: the fast path left the file to the TOML decoder", name)
		}
	}
	tests := []struct {
		name, src string
		fast      bool
	}{
		{"plain", "# c\n\n[[q]]\ntext = \"hvad er fgu\"\nwant = [\"fgu\", \"kui\"]\nlang = \"da\"\n", true},
		{"off-topic", "[[q]]\ntext = \"x\"\nofftopic = true\ncrisis = false\n", true},
		{"every key", "[[q]]\ntext = \"x\"\nwant = [\"a\"]\nkommune = \"Viborg\"\nlang = \"en\"\nsource = \"https://a.dk/b?c=1#d\"\ncrisis = true\n", true},
		{"spaced", "  [[q]]  \n  text   =   \"a b\"  \n\twant = [ \"a\" ,\"b\", ]\n", true},
		{"empty want", "[[q]]\ntext = \"x\"\nwant = []\n", true},
		{"escapes in text", `[[q]]` + "\n" + `text = "sagde \"stop\" \u00e6"` + "\n", true},
		{"empty file", "", true},
		{"unknown key", "[[q]]\ntext = \"x\"\nnote = \"y\"\n", false},
		{"duplicate key", "[[q]]\ntext = \"x\"\nwant = [\"a\"]\nwant = [\"b\"]\n", false},
		{"key before a table", "text = \"x\"\n[[q]]\n", false},
		{"trailing comment", "[[q]]\nwant = [\"a\"] # c\n", false},
		{"multi-line array", "[[q]]\nwant = [\n\"a\"]\n", false},
		{"escape in an id", `[[q]]` + "\n" + `want = ["a\u0062"]` + "\n", false},
		{"comma inside an id", "[[q]]\nwant = [\"a,b\"]\n", true},
		{"bracket inside an id", "[[q]]\nwant = [\"a]\", \"b\"]\n", true},
		{"missing comma", "[[q]]\nwant = [\"a\" \"b\"]\n", false},
		{"double comma", "[[q]]\nwant = [\"a\",, \"b\"]\n", false},
		{"number in array", "[[q]]\nwant = [1]\n", false},
		{"literal string", "[[q]]\ntext = 'x'\n", false},
		{"boolean as string", "[[q]]\nofftopic = \"true\"\n", false},
		{"capital boolean", "[[q]]\nofftopic = True\n", false},
		{"boolean with comment", "[[q]]\nofftopic = true # c\n", false},
		{"other table", "[q]\ntext = \"x\"\n", false},
		{"carriage return", "[[q]]\r\ntext = \"x\"\r\n", false},
		{"invalid UTF-8", "[[q]]\ntext = \"\xff\"\n", false},
	}
	for _, tt := range tests {
		if got := checkFastQuestionsMatchTOML(t, tt.name, tt.src); got != tt.fast {
			t.Errorf("%s: fast path took it = %v; want %v", tt.name, got, tt.fast)
		}
	}
}

// FuzzFastQuestions checks that the fast path never reads a file differently from the TOML
// decoder.
func FuzzFastQuestions(f *testing.F) {
	f.Add("[[q]]\ntext = \"hej \\\"du\\\" \\u00e6\"\nwant = [\"a\", \"b\",]\nlang = \"da\"\n")
	f.Add("# c\n[[q]]\ntext = \"a\\tb\"\nofftopic = true\n")
	f.Add("[[q]]\nwant = []\n\n[[q]]\ncrisis = false\nkommune = \"Skive\"\n")
	f.Fuzz(func(t *testing.T, src string) {
		checkFastQuestionsMatchTOML(t, "fuzz", src)
	})
}
