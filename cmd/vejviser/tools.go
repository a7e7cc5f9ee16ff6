package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/vejviser/vejviser/bot"
	"github.com/vejviser/vejviser/index"
	"github.com/vejviser/vejviser/knowledge"
)

// common are the flags every subcommand takes.
type common struct {
	config    string
	knowledge string
}

func (c *common) register(fs *flag.FlagSet) {
	fs.StringVar(&c.config, "config", defaultConfig, "config file")
	fs.StringVar(&c.knowledge, "knowledge", "", "knowledge folder (default: config's, else the embedded base)")
}

func (c *common) load(fs *flag.FlagSet) (*config, error) {
	explicit := false
	fs.Visit(func(f *flag.Flag) { explicit = explicit || f.Name == "config" })
	return loadConfig(c.config, explicit)
}

func newFlags(name string, w io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(w)
	fs.Usage = func() {
		if u, ok := usageLines[name]; ok {
			fmt.Fprintln(w, "usage: "+u)
		}
		fs.PrintDefaults()
	}
	return fs
}

// usageLines are the subcommands' usage lines, printed by --help and after a flag error.
var usageLines = map[string]string{
	"vejviser": "vejviser [--config F] [--knowledge DIR] [--addr HOST:PORT]",
	"ask":      "vejviser ask [--kommune K] [--json] [--lang da|en] [--knowledge DIR] QUESTION   (or - to read one question per line)",
	"check":    "vejviser check [--lang en] [DIR]",
	"index":    "vejviser index [--knowledge DIR] [--out DIR]",
	"train":    "vejviser train [DIR]   (default: knowledge)",
	"report":   "vejviser report [--lang en] [--delete ID | --purge]",
}

// parseArgs parses flags anywhere among the arguments ("ask 'hvad er FGU?' --json"), so a
// flag is never taken for a word of the question; "--" ends the flags. help is true after
// --help (the usage has been printed: exit 0); any other flag error has been printed too.
func parseArgs(fs *flag.FlagSet, args []string) (help bool, err error) {
	var pos []string
	for {
		if i := slices.Index(args, "--"); i == 0 {
			pos = append(pos, args[1:]...)
			break
		}
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				return true, nil
			}
			return false, errSilent
		}
		rest := fs.Args()
		if len(rest) == 0 {
			break
		}
		// fs.Parse stops at the first word that is not a flag (or after "--").
		consumed := len(args) - len(rest)
		if consumed > 0 && args[consumed-1] == "--" {
			pos = append(pos, rest...)
			break
		}
		pos = append(pos, rest[0])
		args = rest[1:]
	}
	_ = fs.Parse(append([]string{"--"}, pos...)) // leave the words as fs.Args()
	return false, nil
}

// MaxLineBytes is the most of one stdin line that `ask -` reads as a question; the rest of
// the line is skipped.
const MaxLineBytes = 64 << 10

func (e *env) ask(ctx context.Context, args []string) error {
	fs := newFlags("ask", e.stderr)
	var c common
	c.register(fs)
	kommune := fs.String("kommune", "", "the asker's municipality")
	asJSON := fs.Bool("json", false, "print the answer as JSON")
	lang := fs.String("lang", "", "language hint when the question does not tell (da or en)")
	if help, err := parseArgs(fs, args); help || err != nil {
		return err
	}
	if fs.NArg() == 0 {
		return errors.New("ask: give a question, or - to read questions from stdin")
	}
	if strings.TrimSpace(strings.Join(fs.Args(), " ")) == "" {
		return errors.New("ask: the question is empty")
	}
	if *lang != "" && *lang != "da" && *lang != "en" {
		return fmt.Errorf("ask: --lang %q: use da or en", *lang)
	}
	cfg, err := c.load(fs)
	if err != nil {
		return err
	}
	fsys, name := cfg.knowledgeFS(c.knowledge)
	eng, err := newEngine(ctx, fsys, name, "", nil, discardLogger(), e.stderr)
	if err != nil {
		return err
	}
	defer eng.Close()
	if *kommune != "" {
		k, ok := eng.Base().Kommune(*kommune)
		if !ok {
			return fmt.Errorf("ask: unknown kommune %q; known: %s", *kommune, strings.Join(eng.KommuneNames(), ", "))
		}
		*kommune = k.Name
	}
	question := strings.Join(fs.Args(), " ")
	if question != "-" {
		a, err := eng.Answer(ctx, bot.Question{Text: question, Kommune: *kommune, Lang: *lang})
		if err != nil {
			return fmt.Errorf("ask: %w", err)
		}
		if *asJSON {
			return writeJSON(e.stdout, a)
		}
		printAnswer(e.stdout, a)
		return nil
	}
	r := bufio.NewReaderSize(e.stdin, 64<<10)
	for {
		line, err := readLine(r, MaxLineBytes)
		if len(line) > 0 || err == nil {
			a, aerr := eng.Answer(ctx, bot.Question{Text: line, Kommune: *kommune, Lang: *lang})
			if aerr != nil {
				return fmt.Errorf("ask: %w", aerr)
			}
			if werr := writeJSON(e.stdout, a); werr != nil {
				return werr
			}
		}
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return fmt.Errorf("ask: read stdin: %w", err)
		}
	}
}

// readLine reads one line without its newline, keeping at most max bytes of it. It returns
// io.EOF with the last, unterminated line.
func readLine(r *bufio.Reader, max int) (string, error) {
	var b []byte
	for {
		chunk, err := r.ReadSlice('\n')
		if room := max - len(b); room > 0 {
			b = append(b, chunk[:min(len(chunk), room)]...)
		}
		switch {
		case err == bufio.ErrBufferFull:
			continue
		case err != nil:
			return string(b), err
		default:
			return strings.TrimRight(string(b), "\r\n"), nil
		}
	}
}

// writeJSON writes v as one line of JSON, encoded exactly as the preview's /api/ask does.
func writeJSON(w io.Writer, v any) error {
	return json.NewEncoder(w).Encode(v)
}

// inLanguage returns eng for an English reader (en) and da otherwise: the terminal tools'
// headings and labels, which have no table in knowledge's language data.
func inLanguage(en bool, da, eng string) string {
	if en {
		return eng
	}
	return da
}

// printAnswer writes an answer for a person at a terminal.
func printAnswer(w io.Writer, a bot.Answer) {
	en := a.Language == bot.English
	label := func(da, eng string) string { return inLanguage(en, da, eng) }
	if a.CrisisCard != nil {
		fmt.Fprintf(w, "!! %s\n%s\n", a.CrisisCard.Title, a.CrisisCard.Intro)
		for _, l := range a.CrisisCard.Lines {
			fmt.Fprintf(w, "  • %s", l.Name)
			if l.Phone != "" {
				fmt.Fprintf(w, " – %s", l.Phone)
			}
			fmt.Fprintf(w, "\n    %s\n", l.When)
			if l.URL != "" {
				fmt.Fprintf(w, "    %s\n", l.URL)
			}
		}
		fmt.Fprintf(w, "%s\n\n", a.CrisisCard.Outro)
	} else {
		fmt.Fprintf(w, "%s\n\n", a.Reply)
	}
	for i, en := range a.Entries {
		fmt.Fprintf(w, "[%d] %s\n    %s\n", i+1, en.Title, en.Excerpt)
		for _, s := range en.Sources {
			fmt.Fprintf(w, "    %s: %s\n", label("Kilde", "Source"), s.URL)
		}
		fmt.Fprintf(w, "    %s %s\n", label("Gennemgået", "Reviewed"), en.Reviewed)
	}
	if len(a.Services) > 0 {
		where := a.Kommune
		if where == "" {
			where = knowledge.RegionWide
		}
		fmt.Fprintf(w, "\n%s (%s):\n", label("Hvem kan hjælpe", "Who can help"), where)
		for _, s := range a.Services {
			fmt.Fprintf(w, "  • %s – %s\n    %s", s.Label, s.Name, s.URL)
			if s.Phone != "" {
				fmt.Fprintf(w, "  %s %s", label("tlf.", "tel."), s.Phone)
			}
			if s.Status != knowledge.StatusConfirmed {
				status := s.Status
				if w, ok := statusEN[status]; ok && en {
					status = w
				}
				fmt.Fprintf(w, "  (%s)", status)
			}
			fmt.Fprintln(w)
		}
	}
	fmt.Fprintf(w, "\n%s: %s · %s: %s\n", label("Sprog", "Language"), a.Language, label("Kommune", "Municipality"), orDash(a.Kommune))
}

// writeUnconfirmed lists what the editors have not confirmed, as `check --unconfirmed` prints
// it: every entry's `unconfirmed` points under its id, file and title, then every service whose
// status is knowledge.StatusUnconfirmed, by municipality. The points are printed as the editors
// wrote them (Danish); only the headings follow lang. It is read from the files themselves, so
// the list cannot go stale the way a copy in a guide does.
func writeUnconfirmed(w io.Writer, base *knowledge.Base, lang string) {
	en := lang == "en"
	label := func(da, eng string) string { return inLanguage(en, da, eng) }
	entries, points := 0, 0
	for _, e := range base.Entries {
		if len(e.Unconfirmed) == 0 {
			continue
		}
		if entries == 0 {
			fmt.Fprintf(w, "\n%s\n", label("Ikke bekræftet i posterne:", "Not confirmed in the entries:"))
		}
		entries++
		fmt.Fprintf(w, "\n%s (%s) – %s\n", e.ID, e.File, e.Title)
		for _, u := range e.Unconfirmed {
			points++
			fmt.Fprintf(w, "  - %s\n", u)
		}
	}
	services := 0
	for _, s := range base.Services {
		if s.Status != knowledge.StatusUnconfirmed {
			continue
		}
		if services == 0 {
			fmt.Fprintf(w, "\n%s\n\n", label("Tilbud med status \""+knowledge.StatusUnconfirmed+"\":", "Services marked \""+knowledge.StatusUnconfirmed+"\" (not confirmed):"))
		}
		services++
		fmt.Fprintf(w, "  - %s: %s (%s, %s) %s\n", s.Kommune, s.Name, s.Kind, s.File, s.URL)
	}
	if en {
		fmt.Fprintf(w, "\n%d points in %d entries and %d services not confirmed\n", points, entries, services)
	} else {
		fmt.Fprintf(w, "\n%d punkter i %d poster og %d tilbud er ikke bekræftet\n", points, entries, services)
	}
}

// statusEN words a service's status (knowledge.Status*) for an answer in English; ask writes
// the Danish status as it stands in the service files for an answer in Danish.
var statusEN = map[string]string{
	knowledge.StatusSeen:        "seen at the source",
	knowledge.StatusKommuneSite: "the municipality's site",
	knowledge.StatusUnconfirmed: "not confirmed",
}

func orDash(s string) string {
	if s == "" {
		return "–"
	}
	return s
}

func (e *env) check(ctx context.Context, args []string) error {
	fs := newFlags("check", e.stderr)
	var c common
	c.register(fs)
	evalGlobs := fs.String("eval", "knowledge/questions.toml,cmd/vejviser/testdata/*.toml,../shared/eval/*.toml",
		"comma-separated evaluation question files (globs) that no example question may copy; missing ones are skipped")
	lang := fs.String("lang", "da", "language of the messages: da (Danish) or en (English)")
	unconfirmed := fs.Bool("unconfirmed", false, "after the check, list every fact the editors have not confirmed: each entry's `unconfirmed` and each service marked \""+knowledge.StatusUnconfirmed+"\"")
	if help, err := parseArgs(fs, args); help || err != nil {
		return err
	}
	if *lang != "da" && *lang != "en" {
		return fmt.Errorf("check: --lang %q: use da (Danish) or en (English)", *lang)
	}
	switch {
	case fs.NArg() > 1:
		return fmt.Errorf("check: give at most one knowledge folder, after the flags (got %s)", strings.Join(fs.Args(), " "))
	case fs.NArg() == 1 && c.knowledge != "" && c.knowledge != fs.Arg(0):
		return fmt.Errorf("check: two knowledge folders: --knowledge %s and %s", c.knowledge, fs.Arg(0))
	case fs.NArg() == 1:
		c.knowledge = fs.Arg(0)
	}
	cfg, err := c.load(fs)
	if err != nil {
		return err
	}
	fsys, name := cfg.knowledgeFS(c.knowledge)
	if err := checkFolder(name); err != nil {
		return fmt.Errorf("check: %w", err)
	}
	base, err := loadInterruptibly(ctx, fsys)
	var ps knowledge.Problems
	if err != nil && !errors.As(err, &ps) {
		return fmt.Errorf("check %s: %w", name, err)
	}
	if base != nil {
		ps = append(knowledge.CopiedQuestions(base, evaluationQuestions(*evalGlobs)), base.Warnings...)
	}
	for _, p := range ps {
		fmt.Fprintln(e.stdout, p.Localized(*lang))
	}
	if *unconfirmed && base != nil {
		writeUnconfirmed(e.stdout, base, *lang)
	}
	nerr := len(ps.Errors())
	nwarn := len(ps) - nerr
	if nerr > 0 {
		fmt.Fprintf(e.stderr, "%s: %s\n", name, checkCounts(*lang, nerr, nwarn))
		return errSilent
	}
	if !bot.CrisisModelFresh(base) {
		// Not a warning: a stale or missing classifier costs start-up time, not correctness.
		dir := name
		if dir == "embedded" {
			dir = "knowledge"
		}
		if *lang == "en" {
			fmt.Fprintf(e.stderr, "%s: note: %s was not trained from these crisis examples by this program; a start-up trains the crisis classifier (about a minute) – `vejviser train %s` saves that\n", name, knowledge.CrisisModelFile, dir)
		} else {
			fmt.Fprintf(e.stderr, "%s: bemærk: %s er ikke trænet på disse kriseeksempler af dette program; ved start trænes kriseklassifikatoren (ca. et minut) – `vejviser train %s` sparer det\n", name, knowledge.CrisisModelFile, dir)
		}
	}
	if *lang == "en" {
		fmt.Fprintf(e.stderr, "%s: ok – %d entries, %d services, %d kommuner, %d asked questions, version %s; %s\n",
			name, len(base.Entries), len(base.Services), len(base.Kommuner), len(base.Asked), base.Version, plural(nwarn, "warning", "warnings"))
	} else {
		fmt.Fprintf(e.stderr, "%s: ok – %d poster, %d tilbud, %d kommuner, %d stillede spørgsmål, version %s; %s\n",
			name, len(base.Entries), len(base.Services), len(base.Kommuner), len(base.Asked), base.Version, plural(nwarn, "advarsel", "advarsler"))
	}
	return nil
}

// checkCounts is check's summary of a failed run in lang: "3 fejl, 1 advarsel" or
// "3 errors, 1 warning".
func checkCounts(lang string, errs, warnings int) string {
	if lang == "en" {
		return plural(errs, "error", "errors") + ", " + plural(warnings, "warning", "warnings")
	}
	return plural(errs, "fejl", "fejl") + ", " + plural(warnings, "advarsel", "advarsler")
}

// plural returns n with the singular or plural noun: "1 warning", "0 warnings".
func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %s", n, many)
}

// evaluationQuestions reads the questions of the evaluation files matched by the
// comma-separated globs, keyed by knowledge.QuestionKey, with the file each is in. Files that
// are missing or not question files are skipped.
func evaluationQuestions(globs string) map[string]string {
	out := map[string]string{}
	for _, g := range strings.Split(globs, ",") {
		names, _ := filepath.Glob(strings.TrimSpace(g))
		for _, name := range names {
			qs, _, err := knowledge.LoadQuestions(os.DirFS(filepath.Dir(name)), filepath.Base(name))
			if err != nil {
				continue
			}
			for _, q := range qs {
				out[knowledge.QuestionKey(q.Text)] = name
			}
		}
	}
	return out
}

// train writes DIR/crisis.model: the crisis classifier for the knowledge folder DIR, headed by
// the key that lets a start-up on the same examples and training code read it instead of
// training. The file is written through a temporary file, so a running bot or a failed run
// never leaves half of one.
func (e *env) train(ctx context.Context, args []string) error {
	fs := newFlags("train", e.stderr)
	if help, err := parseArgs(fs, args); help || err != nil {
		return err
	}
	dir := "knowledge"
	switch fs.NArg() {
	case 0:
	case 1:
		dir = fs.Arg(0)
	default:
		return fmt.Errorf("train: give one knowledge folder (got %s)", strings.Join(fs.Args(), " "))
	}
	if err := checkFolder(dir); err != nil {
		return fmt.Errorf("train: %w", err)
	}
	base, err := loadInterruptibly(ctx, os.DirFS(dir))
	if err != nil {
		return fmt.Errorf("train %s: %w", dir, err)
	}
	path := filepath.Join(dir, knowledge.CrisisModelFile)
	if bot.CrisisModelFresh(base) {
		fmt.Fprintf(e.stderr, "%s: already trained from these examples by this program\n", path)
		return nil
	}
	start := time.Now()
	data, err := trainInterruptibly(ctx, base)
	if err != nil {
		return err
	}
	if data == nil {
		return fmt.Errorf("train %s: the crisis detector has no classifier", dir)
	}
	if err := bot.WriteCrisisModelFile(path, data); err != nil {
		return fmt.Errorf("train: write %s: %w", path, err)
	}
	fmt.Fprintf(e.stderr, "%s: %.1f MiB, %d examples, %s\n", path, float64(len(data))/(1<<20),
		len(base.Crisis.LabelledExamples()), time.Since(start).Round(time.Second))
	return nil
}

// trainInterruptibly is bot.CrisisModelFile, returning early when ctx ends (the training goes
// on in the background until the process exits).
func trainInterruptibly(ctx context.Context, base *knowledge.Base) ([]byte, error) {
	done := make(chan []byte, 1)
	go func() { done <- bot.CrisisModelFile(base) }()
	select {
	case data := <-done:
		return data, nil
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

func (e *env) index(ctx context.Context, args []string) error {
	fs := newFlags("index", e.stderr)
	var c common
	c.register(fs)
	out := fs.String("out", "", "index folder (default: config's index_dir, else ./vejviser-index)")
	if help, err := parseArgs(fs, args); help || err != nil {
		return err
	}
	cfg, err := c.load(fs)
	if err != nil {
		return err
	}
	dir := *out
	if dir == "" {
		dir = cfg.resolve(cfg.IndexDir)
	}
	if dir == "" {
		dir = "vejviser-index"
	}
	fsys, name := cfg.knowledgeFS(c.knowledge)
	base, err := loadBase(fsys, name, e.stderr)
	if err != nil {
		return err
	}
	start := time.Now()
	ix, err := buildGeneration(ctx, dir, base)
	if err != nil {
		return err
	}
	defer ix.Close()
	if err := bot.SmokeTest(ctx, base, ix); err != nil {
		return fmt.Errorf("index: the new index failed its smoke test and was not made current: %w", err)
	}
	if err := ix.Commit(); err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "indexed %d entries (knowledge %s) into %s in %s\n",
		ix.Len(), base.Version, filepath.Join(dir, ix.name), time.Since(start).Round(time.Millisecond))
	return nil
}

var _ bot.Searcher = (*index.Index)(nil)

// loadInterruptibly loads the knowledge folder, but returns as soon as ctx ends (Ctrl-C,
// SIGTERM): the load itself cannot be stopped halfway, and the process exits right after.
func loadInterruptibly(ctx context.Context, fsys fs.FS) (*knowledge.Base, error) {
	type result struct {
		base *knowledge.Base
		err  error
	}
	done := make(chan result, 1)
	go func() {
		b, err := knowledge.Load(fsys, time.Now())
		done <- result{b, err}
	}()
	select {
	case r := <-done:
		return r.base, r.err
	case <-ctx.Done():
		return nil, fmt.Errorf("interrupted: %w", ctx.Err())
	}
}
