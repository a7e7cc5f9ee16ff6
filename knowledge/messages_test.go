package knowledge

import (
	"errors"
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"reflect"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// messageCall is one call that reports or builds a message: collector.add / collector.warn
// (format is the third argument) or msgf (the first).
type messageCall struct {
	format string
	at     string // file:line, for failures
}

// messageFormatArg gives, per function or method name, the index of its format argument.
var messageFormatArg = map[string]int{"add": 2, "warn": 2, "msgf": 0}

// messageCalls parses the package's non-test .go files and returns every format string
// passed to add, warn and msgf. A format that is not a string literal is a failure: the
// catalogue can only translate what it can see.
func messageCalls(t *testing.T) []messageCall {
	t.Helper()
	fset := token.NewFileSet()
	names, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	var calls []messageCall
	for _, name := range names {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, name, nil, parser.SkipObjectResolution)
		if err != nil {
			t.Fatalf("parse %s: %v", name, err)
		}
		ast.Inspect(f, func(n ast.Node) bool {
			call, ok := n.(*ast.CallExpr)
			if !ok {
				return true
			}
			var fn string
			switch x := call.Fun.(type) {
			case *ast.SelectorExpr:
				if x.Sel.Name == "add" || x.Sel.Name == "warn" {
					fn = x.Sel.Name
				}
			case *ast.Ident:
				if x.Name == "msgf" {
					fn = x.Name
				}
			}
			i, ok := messageFormatArg[fn]
			if !ok || len(call.Args) <= i {
				return true
			}
			at := fset.Position(call.Pos()).String()
			lit, ok := call.Args[i].(*ast.BasicLit)
			if !ok || lit.Kind != token.STRING {
				t.Errorf("%s: %s is called with a format that is not a string literal; the Danish catalogue cannot translate it", at, fn)
				return true
			}
			format, err := strconv.Unquote(lit.Value)
			if err != nil {
				t.Fatalf("%s: %v", at, err)
			}
			calls = append(calls, messageCall{format, at})
			return true
		})
	}
	if len(calls) < 50 {
		t.Fatalf("found only %d message calls; the scan is broken", len(calls))
	}
	return calls
}

var verbPattern = regexp.MustCompile(`%[-+# 0]*(?:\[\d+\])?(?:\d+|\*)?(?:\.(?:\d+|\*)?)?[a-zA-Z%]`)

// verbs returns the fmt verbs of format in order, without %%.
func verbs(format string) []string {
	var out []string
	for _, v := range verbPattern.FindAllString(format, -1) {
		if v != "%%" {
			out = append(out, v)
		}
	}
	return out
}

// TestEveryMessageHasDanish: every format string the package reports has a Danish entry with
// the same fmt verbs in the same order, and every Danish entry is used.
func TestEveryMessageHasDanish(t *testing.T) {
	used := map[string]bool{}
	for _, c := range messageCalls(t) {
		used[c.format] = true
		da, ok := danish[c.format]
		if !ok {
			t.Errorf("%s: no Danish for %q", c.at, c.format)
			continue
		}
		if got, want := verbs(da), verbs(c.format); !slices.Equal(got, want) {
			t.Errorf("%s: the Danish of %q has verbs %v; want %v as in English:\n%q", c.at, c.format, got, want, da)
		}
	}
	for en := range danish {
		if !used[en] {
			t.Errorf("dead translation: no code reports %q", en)
		}
	}
}

func TestVerbs(t *testing.T) {
	tests := []struct {
		format string
		want   []string
	}{
		{"plain", nil},
		{"%q: %s is %d%%", []string{"%q", "%s", "%d"}},
		{"%v, %5.2f and %-8s", []string{"%v", "%5.2f", "%-8s"}},
	}
	for _, tt := range tests {
		if got := verbs(tt.format); !slices.Equal(got, tt.want) {
			t.Errorf("verbs(%q) = %v; want %v", tt.format, got, tt.want)
		}
	}
}

// loadCheckFixture loads testdata/valid with the files of testdata/<dir> laid over it and
// returns the problems of the load.
func loadCheckFixture(t *testing.T, dir string) Problems {
	t.Helper()
	fsys := dirFS(t, "testdata/valid")
	for name, f := range dirFS(t, filepath.Join("testdata", dir)) {
		fsys[name] = f
	}
	base, err := Load(fsys, testNow)
	if err == nil {
		return base.Warnings
	}
	var ps Problems
	if !errors.As(err, &ps) {
		t.Fatalf("Load error %T is not Problems: %v", err, err)
	}
	return ps
}

// TestLocalizedFaults triggers real faults from testdata/check-* and checks whole lines in
// Danish and in English: the unknown-key suggestions and the hints for broken TOML.
func TestLocalizedFaults(t *testing.T) {
	tests := []struct {
		dir    string
		da, en string
	}{
		// Unknown keys, with the key meant (point 3).
		{"check-unknown-keys",
			`entries/fgu.md:4:1: ukendt nøgle "titel" – mente du "title"?`,
			`entries/fgu.md:4:1: unknown key "titel" – did you mean "title"?`},
		{"check-unknown-keys",
			`entries/fgu.md:5:1: ukendt nøgle "sumary" – mente du "summary"?`,
			`entries/fgu.md:5:1: unknown key "sumary" – did you mean "summary"?`},
		{"check-unknown-keys",
			`entries/fgu.md:6:1: ukendt nøgle "nøgleord" – mente du "keywords"?`,
			`entries/fgu.md:6:1: unknown key "nøgleord" – did you mean "keywords"?`},
		{"check-unknown-keys",
			`entries/fgu.md:7:1: ukendt nøgle "målgruppe" – mente du "audience"?`,
			`entries/fgu.md:7:1: unknown key "målgruppe" – did you mean "audience"?`},
		{"check-unknown-keys",
			`entries/fgu.md:8:1: ukendt nøgle "opdateret" – mente du "reviewed"?`,
			`entries/fgu.md:8:1: unknown key "opdateret" – did you mean "reviewed"?`},
		{"check-unknown-keys",
			`entries/fgu.md:9:1: ukendt nøgle "kilde" – mente du "sources"?`,
			`entries/fgu.md:9:1: unknown key "kilde" – did you mean "sources"?`},
		{"check-unknown-keys", // a source has no address: nothing to suggest
			`entries/fgu.md:24:1: ukendt nøgle "sources.adresse"`,
			`entries/fgu.md:24:1: unknown key "sources.adresse"`},
		{"check-unknown-keys",
			`entries/fgu.md:25:1: ukendt nøgle "sources.titel" – mente du "sources.title"?`,
			`entries/fgu.md:25:1: unknown key "sources.titel" – did you mean "sources.title"?`},
		{"check-unknown-keys",
			`entries/fgu.md:29:1: ukendt nøgle "en.resume" – mente du "en.summary"?`,
			`entries/fgu.md:29:1: unknown key "en.resume" – did you mean "en.summary"?`},
		{"check-service-values", // a service has a phone, not a source's "telefon"
			`services/norddjurs.toml:8:1: ukendt nøgle "service.telefon" – mente du "service.phone"?`,
			`services/norddjurs.toml:8:1: unknown key "service.telefon" – did you mean "service.phone"?`},

		// Broken TOML, with a hint (point 4).
		{"check-hint-missing-quote",
			`entries/fgu.md:4:46: fejl i opsætningen (TOML): en tekst mangler sit afsluttende anførselstegn: afslut den med " på samme linje, eller skriv tekst over flere linjer mellem """ og """ (teknisk besked: strings cannot contain newlines)`,
			`entries/fgu.md:4:46: invalid TOML: a text is missing its closing quote: end it with " on the same line, or write text over several lines between """ and """ (the TOML reader says: strings cannot contain newlines)`},
		{"check-hint-list-commas",
			`entries/fgu.md:6:20: fejl i opsætningen (TOML): sæt komma mellem punkterne i en liste og hver tekst i anførselstegn, fx ["unge", "forældre"] (teknisk besked: expected a comma (',') or array terminator (']'), but got '"')`,
			`entries/fgu.md:6:20: invalid TOML: put a comma between the items of a list, and each text in quotes, e.g. ["unge", "forældre"] (the TOML reader says: expected a comma (',') or array terminator (']'), but got '"')`},
		{"check-hint-missing-equals",
			`entries/fgu.md:3:7: fejl i opsætningen (TOML): mellem en nøgle og dens værdi skal der stå =, fx title = "FGU" (teknisk besked: expected '.' or '=', but got '"' instead)`,
			`entries/fgu.md:3:7: invalid TOML: a key and its value are joined by =, e.g. title = "FGU" (the TOML reader says: expected '.' or '=', but got '"' instead)`},
		{"check-hint-danish-date",
			`entries/fgu.md:7:12: forkert dato: skriv datoer som ÅÅÅÅ-MM-DD uden anførselstegn, fx reviewed = 2026-11-26`,
			`entries/fgu.md:7:12: bad date: write dates as YYYY-MM-DD without quotes, e.g. reviewed = 2026-11-26`},
		{"check-hint-quoted-date",
			`entries/fgu.md:7:13: forkert dato: skriv datoer som ÅÅÅÅ-MM-DD uden anførselstegn, fx reviewed = 2026-10-01`,
			`entries/fgu.md:7:13: bad date: write dates as YYYY-MM-DD without quotes, e.g. reviewed = 2026-10-01`},
		{"check-hint-smart-quotes",
			`entries/fgu.md:3:9: fejl i opsætningen (TOML): skriv lige anførselstegn " i stedet for krumme “ ” ‘ ’ (de kommer fra Word og lignende programmer) (teknisk besked: expected value but found '“' instead)`,
			`entries/fgu.md:3:9: invalid TOML: write straight quotes " instead of curly quotes “ ” ‘ ’ (they come from Word and similar programs) (the TOML reader says: expected value but found '“' instead)`},
		{"check-hint-table-twice",
			`entries/fgu.md:25:2: fejl i opsætningen (TOML): tabellen [en] er skrevet to gange: behold én [en] og saml alle dens nøgler under den (teknisk besked: Key 'en' has already been defined.)`,
			`entries/fgu.md:25:2: invalid TOML: the table [en] is written twice: keep one [en] and put all its keys under it (the TOML reader says: Key 'en' has already been defined.)`},
		{"check-hint-key-twice",
			`entries/fgu.md:11:1: fejl i opsætningen (TOML): nøglen "services" står to gange i samme tabel: slet den ene (teknisk besked: Key 'services' has already been defined.)`,
			`entries/fgu.md:11:1: invalid TOML: the key "services" is written twice in the same table: delete one of them (the TOML reader says: Key 'services' has already been defined.)`},
		{"check-hint-danish-key",
			`entries/fgu.md:5:2: fejl i opsætningen (TOML): nøglenavne må kun bruge a–z, tal, - og _ (ikke æ, ø eller å); mente du "keywords"? (teknisk besked: expected '.' or '=', but got 'ø' instead)`,
			`entries/fgu.md:5:2: invalid TOML: key names may only use a–z, digits, - and _ (no æ, ø or å); did you mean "keywords"? (the TOML reader says: expected '.' or '=', but got 'ø' instead)`},
		{"check-hint-quote-inside",
			`entries/fgu.md:3:21: fejl i opsætningen (TOML): en tekst har et " inde i sig: skriv \" for et anførselstegn inde i en tekst, eller brug “ ” der (teknisk besked: expected a top-level item to end with a newline, comment, or EOF, but got 'f' instead)`,
			`entries/fgu.md:3:21: invalid TOML: a text contains a " inside it: write \" for a quote inside a text, or use curly quotes “ ” there (the TOML reader says: expected a top-level item to end with a newline, comment, or EOF, but got 'f' instead)`},
		{"check-hint-unquoted-text",
			`entries/fgu.md:3:9: fejl i opsætningen (TOML): sæt tekst i anførselstegn, fx title = "FGU"; lister af tekster som ["unge", "forældre"] (teknisk besked: expected value but found "FGU" instead)`,
			`entries/fgu.md:3:9: invalid TOML: put text in quotes, e.g. title = "FGU"; lists of texts as ["unge", "forældre"] (the TOML reader says: expected value but found "FGU" instead)`},

		// Values that cannot be read, and the rest of the file still checked (point 5).
		{"check-all-faults",
			`entries/fgu.md:6:13: forkert dato: skriv datoer som ÅÅÅÅ-MM-DD uden anførselstegn, fx reviewed = 2026-11-26`,
			`entries/fgu.md:6:13: bad date: write dates as YYYY-MM-DD without quotes, e.g. reviewed = 2026-11-26`},
		{"check-all-faults",
			`entries/fgu.md:7:1: forkert slags værdi: "review_every" skal være et helt tal, ikke tekst`,
			`entries/fgu.md:7:1: wrong type: "review_every" must be a whole number, not text`},
		{"check-service-values",
			`services/norddjurs.toml:7:1: forkert slags værdi: "service.status" skal være tekst i anførselstegn, ikke et helt tal`,
			`services/norddjurs.toml:7:1: wrong type: "service.status" must be text in quotes, not a whole number`},
		{"check-service-values",
			`services/norddjurs.toml:22:13: forkert dato: skriv datoer som ÅÅÅÅ-MM-DD uden anførselstegn, fx verified = 2026-11-26`,
			`services/norddjurs.toml:22:13: bad date: write dates as YYYY-MM-DD without quotes, e.g. verified = 2026-11-26`},
	}
	for _, tt := range tests {
		t.Run(tt.dir, func(t *testing.T) {
			ps := loadCheckFixture(t, tt.dir)
			i := slices.IndexFunc(ps, func(p Problem) bool { return p.Localized("en") == tt.en })
			if i < 0 {
				t.Fatalf("no problem\n  %s\nin English; got:\n%s", tt.en, ps.Localized("en"))
			}
			if got := ps[i].Localized("da"); got != tt.da {
				t.Errorf("in Danish:\n got: %s\nwant: %s", got, tt.da)
			}
			if got := ps[i].String(); got != tt.en {
				t.Errorf("String() = %s; want the English %s", got, tt.en)
			}
		})
	}
}

// TestEveryFaultOfAFile: a file with a date in quotes, a number written as text, an unknown
// key and a missing required key reports all four – and nothing that only follows from them
// (no "missing reviewed" for the unreadable date).
func TestEveryFaultOfAFile(t *testing.T) {
	var got []string
	for _, p := range loadCheckFixture(t, "check-all-faults").Errors() {
		if p.File == "entries/fgu.md" {
			got = append(got, p.Localized("da"))
		}
	}
	want := []string{
		`entries/fgu.md:1:1: mangler nøglen "audience" (målgruppen: en eller flere af unge, rådgivere, forældre)`,
		`entries/fgu.md:6:13: forkert dato: skriv datoer som ÅÅÅÅ-MM-DD uden anførselstegn, fx reviewed = 2026-11-26`,
		`entries/fgu.md:7:1: forkert slags værdi: "review_every" skal være et helt tal, ikke tekst`,
		`entries/fgu.md:9:1: ukendt nøgle "maalgruppe" – mente du "audience"?`,
	}
	if !slices.Equal(got, want) {
		t.Errorf("errors of entries/fgu.md:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

// TestUnreadableValueIsNotMissing: a service whose status and verified date cannot be read
// gets those errors, not "missing status" or "needs a verified date" besides.
func TestUnreadableValueIsNotMissing(t *testing.T) {
	for _, p := range loadCheckFixture(t, "check-service-values") {
		msg := p.String()
		if strings.Contains(msg, `missing required key "status"`) || strings.Contains(msg, "needs a verified date") {
			t.Errorf("reported as missing although written: %s", msg)
		}
	}
}

// TestSyntaxHints covers hints beyond the fixtures, on an entry's front matter alone.
func TestSyntaxHints(t *testing.T) {
	tests := []struct {
		front string
		want  string // in Danish, after "entries/fgu.md:L:C: "
	}{
		{"title = \"FGU”\n", "fejl i opsætningen (TOML): skriv lige anførselstegn"},
		{"body = \"\"\"\nTekst\n", `fejl i opsætningen (TOML): en tekst, der begynder med """, bliver aldrig lukket`},
		{"reviewed = 26. november 2026\n", "forkert dato: skriv datoer som ÅÅÅÅ-MM-DD uden anførselstegn, fx reviewed = 2026-11-26"},
		{"reviewed = 26/11/2026\n", "forkert dato: skriv datoer som ÅÅÅÅ-MM-DD uden anførselstegn, fx reviewed = 2026-11-26"},
		{"reviewed = 2026-1-5\n", "forkert dato: skriv datoer som ÅÅÅÅ-MM-DD uden anførselstegn, fx reviewed = 2026-01-05"},
		{"title = \n", "fejl i opsætningen (TOML): værdien efter = mangler"},
		{"[[sources]]\ntitel = \"x\"\nmålgruppe = \"x\"\n", "fejl i opsætningen (TOML): nøglenavne må kun bruge a–z, tal, - og _ (ikke æ, ø eller å) (teknisk"},
	}
	for _, tt := range tests {
		var c collector
		decodeStrict(&c, "entries/fgu.md", tt.front, 2, &Entry{})
		if len(c.ps) != 1 {
			t.Errorf("%q: %d problems; want 1:\n%s", tt.front, len(c.ps), c.ps.Localized("da"))
			continue
		}
		if _, msg, _ := strings.Cut(c.ps[0].Localized("da"), ": "); !strings.HasPrefix(msg, tt.want) {
			t.Errorf("%q:\n got: %s\nwant: %s…", tt.front, msg, tt.want)
		}
	}
}

func TestSuggestKey(t *testing.T) {
	entry := reflect.TypeFor[Entry]()
	service := reflect.TypeFor[struct {
		Service []Service `toml:"service"`
	}]()
	tests := []struct {
		t    reflect.Type
		key  string
		want string
	}{
		{entry, "titel", "title"},
		{entry, "kilde", "sources"},
		{entry, "nøgleord", "keywords"},
		{entry, "målgruppe", "audience"},
		{entry, "resumé", "summary"},
		{entry, "revideret", "reviewed"},
		{entry, "keyword", "keywords"},
		{entry, "en.titel", "en.title"},
		{entry, "en.sources", ""}, // a translation has no sources
		{entry, "sources.titel", "sources.title"},
		{entry, "sources.url2", "sources.url"},
		{entry, "ib", "id"},
		{entry, "xy", ""}, // short keys: one edit at most, and "id" is two away
		{entry, "farve", ""},
		{entry, "ukendt.titel", ""},
		{service, "service.kilde", "service.source"}, // a service has one source
		{service, "service.telefon", "service.phone"},
	}
	for _, tt := range tests {
		if got := suggestKey(tt.t, strings.Split(tt.key, ".")); got != tt.want {
			t.Errorf("suggestKey(%s, %q) = %q; want %q", tt.t, tt.key, got, tt.want)
		}
	}
}

func TestDanishDate(t *testing.T) {
	tests := []struct {
		in, want string
		ok       bool
	}{
		{"26-11-2026", "2026-11-26", true},
		{"26.11.2026", "2026-11-26", true},
		{"1/2/2026", "2026-02-01", true},
		{"26. november 2026", "2026-11-26", true},
		{"3 feb 2026", "2026-02-03", true},
		{`"2026-11-26"`, "2026-11-26", true},
		{"2026-1-5", "2026-01-05", true},
		{"31-02-2026", "", false},
		{"26. novembre 2026", "", false},
		{"snart", "", false},
	}
	for _, tt := range tests {
		if got, ok := danishDate(tt.in); got != tt.want || ok != tt.ok {
			t.Errorf("danishDate(%q) = %q, %v; want %q, %v", tt.in, got, ok, tt.want, tt.ok)
		}
	}
}

func TestProblemLocalized(t *testing.T) {
	var c collector
	c.add("entries/fgu.md", pos{3, 1}, "source %d: %s", 1, msgf("bad url %q: want a full https:// address", "www.x.dk"))
	c.warn("entries/fgu.md", pos{7, 1}, "reviewed date %s is in the future", "2027-01-01")
	ps := append(c.ps, Problem{File: "entries/x.md", Msg: "made outside the package"})
	tests := []struct {
		p      Problem
		da, en string
	}{
		{ps[0],
			`entries/fgu.md:3:1: kilde 1: forkert url "www.x.dk": skriv hele adressen med https://`,
			`entries/fgu.md:3:1: source 1: bad url "www.x.dk": want a full https:// address`},
		{ps[1],
			"entries/fgu.md:7:1: advarsel: datoen i reviewed, 2027-01-01, ligger i fremtiden",
			"entries/fgu.md:7:1: warning: reviewed date 2027-01-01 is in the future"},
		{ps[2], "entries/x.md: made outside the package", "entries/x.md: made outside the package"},
	}
	for _, tt := range tests {
		if got := tt.p.Localized("da"); got != tt.da {
			t.Errorf("Localized(da) = %s; want %s", got, tt.da)
		}
		if got := tt.p.Localized("en"); got != tt.en {
			t.Errorf("Localized(en) = %s; want %s", got, tt.en)
		}
		if got := tt.p.String(); got != tt.en {
			t.Errorf("String() = %s; want %s", got, tt.en)
		}
	}
	if got, want := ps.Localized("da"), tests[0].da+"\n"+tests[1].da+"\n"+tests[2].da; got != want {
		t.Errorf("Problems.Localized(da) =\n%s\nwant\n%s", got, want)
	}
	if got, want := ps.Error(), ps.Localized("en"); got != want {
		t.Errorf("Problems.Error() =\n%s\nwant the English\n%s", got, want)
	}
}

// TestBadValuesInNestedTables: values that cannot be read inside array tables nested in
// array tables are reported at their own lines, and the rest of the file is still decoded.
func TestBadValuesInNestedTables(t *testing.T) {
	src := `[[line]]
id = "a"
read = 2024-01-01
[[line.sources]]
url = "https://a.dk"
date = "2024"

[[line]]
id = "b"
read = "2024-01-02"
[[line.sources]]
url = "https://b.dk"
date = "2024"
[[line.sources]]
url = "https://c.dk"
date = 2023-05-01
navn = "x"
`
	var c collector
	var cr Crisis
	if _, ok := decodeStrict(&c, "crisis.toml", src, 1, &cr); !ok {
		t.Fatalf("decodeStrict gave up:\n%s", c.ps)
	}
	want := []string{
		`crisis.toml:10:9: forkert dato: skriv datoer som ÅÅÅÅ-MM-DD uden anførselstegn, fx read = 2024-01-02`,
		`crisis.toml:16:1: forkert slags værdi: "line.sources.date" skal være tekst i anførselstegn, ikke en dato`,
		`crisis.toml:17:1: ukendt nøgle "line.sources.navn"`, // a source has no name to suggest
	}
	if got := strings.Split(c.ps.Localized("da"), "\n"); !slices.Equal(got, want) {
		t.Errorf("problems:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if len(cr.Lines) != 2 || cr.Lines[0].Read.IsZero() || len(cr.Lines[1].Sources) != 2 || cr.Lines[1].Sources[0].URL != "https://b.dk" {
		t.Errorf("the readable values were not all decoded: %+v", cr.Lines)
	}
	if !c.isBad("crisis.toml", "line.1.read") || c.isBad("crisis.toml", "line.0.read") || !c.isBad("crisis.toml", "line.1.sources.1.date.x") {
		t.Errorf("bad keys = %v; want line.1.read and line.1.sources.1.date", c.badKeys)
	}
}
