package knowledge

import (
	"reflect"
	"testing"
)

// TestIndexKeys checks where the line scanner finds keys: bare, dotted, quoted and non-ASCII
// keys, tables, arrays of tables (also nested ones), multi-line strings and lines that are no
// key at all.
func TestIndexKeys(t *testing.T) {
	src := `title = "FGU"
en . title = "x"
"quoted.key" = 1
nøgleord = ["a"]
text = """
not = a key
"""
# comment = no
just text, no key
[en]
summary = "y"
[[sources]]
url = "a"
[[sources]]
url = "b"
[sources.note]
by = 'c'
[[line]]
[[line.sources]]
url = "d"
`
	got := indexKeys(src, 1)
	want := keyIndex{
		"title":                {1, 1},
		"en.title":             {2, 1},
		"quoted.key":           {3, 1},
		"nøgleord":             {4, 1},
		"text":                 {5, 1},
		"en":                   {10, 1},
		"en.summary":           {11, 1},
		"sources.0":            {12, 1},
		"sources.0.url":        {13, 1},
		"sources.1":            {14, 1},
		"sources.1.url":        {15, 1},
		"sources.1.note":       {16, 1},
		"sources.1.note.by":    {17, 1},
		"line.0":               {18, 1},
		"line.0.sources.0":     {19, 1},
		"line.0.sources.0.url": {20, 1},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("indexKeys =\n%v\nwant\n%v", got, want)
	}
}

// TestScanKey checks the key scanner on its own, including keys it must not accept.
func TestScanKey(t *testing.T) {
	tests := []struct {
		in        string
		wantParts []string
		wantRest  string
	}{
		{`title = "x"`, []string{"title"}, `= "x"`},
		{`en . title= 1`, []string{"en", "title"}, `= 1`},
		{`"a.b".'c d' = 1`, []string{"a.b", "c d"}, `= 1`},
		{`nøgle_ord-2 = 1`, []string{"nøgle_ord-2"}, `= 1`},
		{`"unclosed = 1`, nil, `"unclosed = 1`},
		{`= 1`, nil, `= 1`},
		{`just text`, []string{"just"}, `text`},
		{`example]]`, []string{"example"}, `]]`},
	}
	for _, tt := range tests {
		gotParts, gotRest := scanKey(tt.in)
		if !reflect.DeepEqual(gotParts, tt.wantParts) || gotRest != tt.wantRest {
			t.Errorf("scanKey(%q) = %q, %q; want %q, %q", tt.in, gotParts, gotRest, tt.wantParts, tt.wantRest)
		}
	}
}

// TestDecodedExamplesCache: loading an example file again gives what decoding it gives – its
// new examples when it changed, its problems every time it has one.
func TestDecodedExamplesCache(t *testing.T) {
	const file = "crisis-examples/cache-test.toml"
	clean := "[[example]]\ntext = \"a\"\ntier = \"support\"\nkind = \"distress\"\n"
	changed := "[[example]]\ntext = \"b\"\ntier = \"support\"\nkind = \"distress\"\n"
	badTier := "[[example]]\ntext = \"c\"\ntier = \"acut\"\nkind = \"direct\"\n"
	tests := []struct {
		src        string
		wantText   string // the first example's text; "" when none is wanted
		wantErrors int
	}{
		{clean, "a", 0},
		{clean, "a", 0}, // from the cache
		{changed, "b", 0},
		{badTier, "c", 1},
		{badTier, "c", 1}, // a file with a problem is decoded (and reported) again
		{"[[example]\n", "", 1},
		{clean, "a", 0},
	}
	for i, tt := range tests {
		var c collector
		exs, _ := decodeCrisisExamplesCached(&c, file, tt.src)
		gotText := ""
		if len(exs) > 0 {
			gotText = exs[0].Text
		}
		if gotText != tt.wantText || len(c.ps.Errors()) != tt.wantErrors {
			t.Errorf("load %d: first text %q, %d errors; want %q, %d", i, gotText, len(c.ps.Errors()), tt.wantText, tt.wantErrors)
		}
	}
}
