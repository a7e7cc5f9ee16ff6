package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"io"
	"io/fs"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/vejviser/vejviser/bot/crisis/crisistest"
	"github.com/vejviser/vejviser/knowledge"
)

func noenv(string) string { return "" }

// runCmd runs the program with args and stdin, from a folder without config.toml.
func runCmd(t *testing.T, stdin string, args ...string) (stdout, stderr string, err error) {
	t.Helper()
	chdirTemp(t)
	var out, errb bytes.Buffer
	err = run(context.Background(), args, noenv, strings.NewReader(stdin), &out, &errb)
	return out.String(), errb.String(), err
}

func TestAskText(t *testing.T) {
	out, _, err := runCmd(t, "", "ask", "--kommune", "Randers", "hvad er fgu")
	if err != nil {
		t.Fatalf("ask: %v", err)
	}
	for _, want := range []string{"FGU – Forberedende Grunduddannelse", "https://", "Randers", "Gennemgået"} {
		if !strings.Contains(out, want) {
			t.Errorf("ask output lacks %q:\n%s", want, out)
		}
	}
}

// TestAskTextEnglish checks that an English question gets the services' phone label and status
// in English, not the Danish words of the service files.
func TestAskTextEnglish(t *testing.T) {
	out, _, err := runCmd(t, "", "ask", "--kommune", "Herning", "I keep losing my student grant on online casino and betting, who can help me stop?")
	if err != nil {
		t.Fatalf("ask: %v", err)
	}
	for _, want := range []string{"Who can help (Herning)", "tel. ", "(not confirmed)"} {
		if !strings.Contains(out, want) {
			t.Errorf("ask output lacks %q:\n%s", want, out)
		}
	}
	for _, danish := range []string{"tlf.", "ikke bekræftet", "set på kilden", "kommunens side"} {
		if strings.Contains(out, danish) {
			t.Errorf("English ask output has the Danish %q:\n%s", danish, out)
		}
	}
}

func TestAskJSON(t *testing.T) {
	out, _, err := runCmd(t, "", "ask", "--json", "jeg bor i Grenaa, hvad er FGU?")
	if err != nil {
		t.Fatalf("ask --json: %v", err)
	}
	var a map[string]any
	if err := json.Unmarshal([]byte(out), &a); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, out)
	}
	for _, k := range []string{"question", "language", "kommune", "crisis", "answered", "entries", "services"} {
		if _, ok := a[k]; !ok {
			t.Errorf("JSON lacks %q", k)
		}
	}
	if a["kommune"] != "Norddjurs" {
		t.Errorf("kommune = %v; want Norddjurs", a["kommune"])
	}
	e := a["entries"].([]any)[0].(map[string]any)
	for _, k := range []string{"id", "title", "excerpt", "url", "score"} {
		if _, ok := e[k]; !ok {
			t.Errorf("entry lacks %q", k)
		}
	}
	s := a["services"].([]any)[0].(map[string]any)
	for _, k := range []string{"name", "kind", "kommune", "url"} {
		if _, ok := s[k]; !ok {
			t.Errorf("service lacks %q", k)
		}
	}
}

// TestAskStdin checks that every input line, however odd, gives exactly one JSON line.
func TestAskStdin(t *testing.T) {
	lines := []string{"hvad er fgu", "", strings.Repeat("ø", 200000), "\xff\xfe\x00\x01binary",
		`<script>alert(1)</script> @everyone`, "jeg vil ikke leve mere", "🙂🙂", "+fgu -su title:x ~2"}
	out, _, err := runCmd(t, strings.Join(lines, "\n"), "ask", "-")
	if err != nil {
		t.Fatalf("ask -: %v", err)
	}
	sc := bufio.NewScanner(strings.NewReader(out))
	sc.Buffer(nil, 1<<20)
	n := 0
	for sc.Scan() {
		var a struct {
			Question string `json:"question"`
			Crisis   bool   `json:"crisis"`
		}
		if err := json.Unmarshal(sc.Bytes(), &a); err != nil {
			t.Fatalf("line %d is not JSON: %v", n+1, err)
		}
		if n == 5 && !a.Crisis {
			t.Errorf("line 6 (crisis) has crisis=false")
		}
		n++
	}
	if n != len(lines) {
		t.Errorf("got %d JSON lines for %d input lines", n, len(lines))
	}
}

func TestCheck(t *testing.T) {
	kdir, _ := filepath.Abs("../../knowledge")
	_, stderr, err := runCmd(t, "", "check")
	if err != nil {
		t.Fatalf("check of the embedded base: %v\n%s", err, stderr)
	}
	// A broken folder: every fault printed as file:line:col, non-zero exit.
	dir := t.TempDir()
	copyDir(t, kdir, dir)
	fgu := filepath.Join(dir, "entries", "fgu.md")
	data, _ := os.ReadFile(fgu)
	os.WriteFile(fgu, bytes.Replace(data, []byte("title ="), []byte("titel ="), 1), 0o644)
	stdout, _, err := runCmd(t, "", "check", "--lang", "en", "--knowledge", dir)
	if err == nil {
		t.Fatalf("check of a broken folder succeeded")
	}
	if !regexp.MustCompile(`entries/fgu\.md:3:1: unknown key "titel"`).MatchString(stdout) {
		t.Errorf("check output lacks the fault with its position:\n%s", stdout)
	}
}

func TestIndexAndEval(t *testing.T) {
	qs, _ := filepath.Abs("../../knowledge/questions.toml")
	out := filepath.Join(t.TempDir(), "ix")
	stdout, _, err := runCmd(t, "", "index", "--out", out)
	if err != nil || !strings.Contains(stdout, "indexed") {
		t.Fatalf("index: %v %s", err, stdout)
	}
	if _, err := os.Stat(filepath.Join(out, "CURRENT")); err != nil {
		t.Errorf("no CURRENT after index: %v", err)
	}
	stdout, _, err = runCmd(t, "", "eval", "--min-recall3", "0.9", "--min-crisis-recall", "1", qs)
	if err != nil {
		t.Fatalf("eval: %v\n%s", err, stdout)
	}
	for _, want := range []string{"recall1", "recall3", "mrr", "crisis-recall", "false-alarm", "offtopic", "kommune", "language"} {
		if !strings.Contains(stdout, want) {
			t.Errorf("eval output lacks %q", want)
		}
	}
	if _, _, err := runCmd(t, "", "eval", "--min-recall1", "1.01", qs); err == nil {
		t.Errorf("eval with an impossible threshold succeeded")
	}
}

// TestEvalToleratesExtraKeys: a question set written for another tool, with keys eval does
// not know, still runs; the keys are named as warnings. Broken TOML is still an error.
func TestEvalToleratesExtraKeys(t *testing.T) {
	dir := t.TempDir()
	qs := filepath.Join(dir, "qs.toml")
	os.WriteFile(qs, []byte("[[q]]\ntext = \"hvad er fgu\"\nwant = [\"fgu\"]\ncategory = \"uddannelse\"\n"), 0o644)
	stdout, stderr, err := runCmd(t, "", "eval", "--min-recall1", "1", qs)
	if err != nil {
		t.Fatalf("eval with an extra key: %v\n%s%s", err, stdout, stderr)
	}
	if !strings.Contains(stderr, `qs.toml:4:1: warning: unknown key "q.category"`) {
		t.Errorf("eval did not name the extra key:\n%s", stderr)
	}
	os.WriteFile(qs, []byte("[[q]]\ntext = \"hvad er fgu\n"), 0o644)
	if _, _, err := runCmd(t, "", "eval", qs); err == nil || !strings.Contains(err.Error(), "qs.toml:2") {
		t.Errorf("eval of broken TOML = %v; want an error with the position", err)
	}
}

func TestConfigUnknownKey(t *testing.T) {
	dir := t.TempDir()
	cfg := filepath.Join(dir, "c.toml")
	os.WriteFile(cfg, []byte("# a comment\nknowledg = \"x\"\n[preview]\naddress = \"x\"\n"), 0o644)
	_, _, err := runCmd(t, "", "check", "--config", cfg)
	if err == nil || !strings.Contains(err.Error(), `c.toml:2: unknown key "knowledg"`) ||
		!strings.Contains(err.Error(), `c.toml:4: unknown key "preview.address"`) {
		t.Errorf("check with misspelt config keys = %v; want each named with its line", err)
	}
}

// TestServePreview starts the main job without a token and asks the preview's API.
func TestServePreview(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	pr, pw := io.Pipe()
	done := make(chan error, 1)
	chdirTemp(t)
	go func() {
		done <- run(ctx, []string{"--addr", "127.0.0.1:0"}, noenv, strings.NewReader(""), io.Discard, pw)
		pw.Close()
	}()
	addr := ""
	sc := bufio.NewScanner(pr)
	for sc.Scan() {
		if m := regexp.MustCompile(`open http://(\S+)`).FindStringSubmatch(sc.Text()); m != nil {
			addr = m[1]
			break
		}
	}
	go io.Copy(io.Discard, pr)
	if addr == "" {
		t.Fatal("the preview never said where it listens")
	}
	resp, err := http.Get("http://" + addr + "/api/ask?q=hvad+er+fgu")
	if err != nil {
		t.Fatal(err)
	}
	var a struct {
		Entries []struct{ ID string } `json:"entries"`
	}
	json.NewDecoder(resp.Body).Decode(&a)
	resp.Body.Close()
	if len(a.Entries) == 0 || a.Entries[0].ID != "fgu" {
		t.Errorf("/api/ask entries = %v; want fgu first", a.Entries)
	}
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("run after cancel = %v; want a clean stop", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("the preview did not stop")
	}
}

func copyDir(t *testing.T, src, dst string) {
	t.Helper()
	err := filepath.Walk(src, func(p string, info os.FileInfo, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, p)
		if strings.HasPrefix(rel, "testdata") {
			return filepath.SkipDir
		}
		target := filepath.Join(dst, rel)
		if info.IsDir() {
			return os.MkdirAll(target, 0o755)
		}
		if strings.HasSuffix(p, ".go") {
			return nil
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(target, data, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
}

// TestAskJSONTier checks the crisis fields of ask --json: tier, kinds and the fitted card, and
// the support line.
func TestAskJSONTier(t *testing.T) {
	out, _, err := runCmd(t, "", "ask", "--json", "jeg har lige taget 30 panodil")
	if err != nil {
		t.Fatalf("ask --json: %v", err)
	}
	var a struct {
		Crisis      bool     `json:"crisis"`
		Tier        string   `json:"tier"`
		CrisisKinds []string `json:"crisis_kinds"`
		Support     string   `json:"support"`
		Card        struct {
			Lines []struct {
				Phone    string `json:"phone"`
				Evidence string `json:"evidence"`
			} `json:"lines"`
		} `json:"crisis_card"`
	}
	if err := json.Unmarshal([]byte(out), &a); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, out)
	}
	if !a.Crisis || a.Tier != "acute" || !slices.Contains(a.CrisisKinds, "overdose") || len(a.Card.Lines) < 2 ||
		a.Card.Lines[0].Phone != "112" || a.Card.Lines[1].Phone != "82 12 12 12" || a.Card.Lines[1].Evidence == "" {
		t.Errorf("overdose answer = %+v; want tier acute, kind overdose, 112 then Giftlinjen with an evidence year", a)
	}
	out, _, _ = runCmd(t, "", "ask", "--json", "orker ikke mere")
	a.Support = ""
	if err := json.Unmarshal([]byte(out), &a); err != nil || a.Tier != "support" || a.Crisis || a.Support == "" {
		t.Errorf("distress answer = %s; want tier support with a support line and no card", out)
	}
}

// TestMain makes run use the module's shared store of trained crisis classifiers, so these
// tests read the classifier for the embedded knowledge base that another test binary (or an
// earlier run) trained instead of training it again under the race detector.
func TestMain(m *testing.M) {
	// The tests run the program some thirty times on the embedded base, which nothing changes:
	// loading its 138,720 crisis examples took about 2 s a time under the race detector
	// (2026-12-02), so it is loaded once. Other folders are loaded as the program does.
	embedded := sync.OnceValues(func() (*knowledge.Base, error) {
		return knowledge.LoadForServing(knowledge.Embedded(), time.Now())
	})
	loadKnowledge = func(fsys fs.FS, now time.Time) (*knowledge.Base, error) {
		if fsys == knowledge.Embedded() {
			return embedded()
		}
		return knowledge.LoadForServing(fsys, now)
	}
	crisisStoreDirFor = func(func(string) string) string { return crisistest.Dir() }
	useCrisisStore(noenv) // for tests that build an engine without run
	os.Exit(m.Run())
}
