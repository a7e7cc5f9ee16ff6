package knowledge

import (
	"cmp"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"
	"io/fs"
	"net/url"
	"path"
	"regexp"
	"slices"
	"strings"
	"time"
	"unsafe"
)

// File names inside a knowledge folder.
const (
	EntriesDir    = "entries"
	ServicesDir   = "services"
	KommunerFile  = "kommuner.toml"
	SynonymsFile  = "synonyms.toml"
	CrisisFile    = "crisis.toml"
	QuestionsFile = "questions.toml"
	// AskedDir holds questions people asked, each with the entries that answer it (the same
	// [[q]] form as QuestionsFile); the index learns from them which words ask for which entry.
	AskedDir = "asked"
	// OutsideFile lists the subjects people ask about that no entry covers (OutsideTopic).
	OutsideFile = "outside.toml"
	// CrisisModelFile is the crisis classifier trained from this folder (`vejviser train`),
	// read so that a start-up need not train it again; see Crisis.Model.
	CrisisModelFile = "crisis.model"
	// CrisisEntryID is the entry shown first with the crisis card.
	CrisisEntryID = "krisehjaelp"
)

// MaxFileSize is the largest knowledge file Load reads.
const MaxFileSize = 1 << 20

// MaxCrisisModelSize bounds crisis.model: the classifier trained on the 163,540 examples of
// 2026-12-03 is 6.5 MiB, nearly all of its 2^17 rows of twelve weights and a row number.
const MaxCrisisModelSize = 8 << 20

// Audiences lists the values an entry's audience may take.
var Audiences = []string{"unge", "rådgivere", "forældre"}

// RequiredKinds are the service kinds every municipality must have.
var RequiredKinds = []string{"kui", "jobcenter", "fgu"}

var idPattern = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)

// Load reads and validates the knowledge folder fsys. now decides which reviews are stale.
//
// It reports every problem of every file in one run. When there is at least one error it
// returns a nil Base and a Problems error holding the errors and warnings, sorted by file
// and line; otherwise it returns the Base with its warnings in Base.Warnings.
func Load(fsys fs.FS, now time.Time) (*Base, error) { return load(fsys, now, false) }

// LoadForServing is Load for a program that serves the base (the bot, `ask`, a reload): when
// the folder's crisis.model was trained from example files of exactly these bytes, the crisis
// examples are not decoded now but on first use (Crisis.LabelledExamples), which a bot that
// reads that classifier never needs. Those bytes were decoded and checked by the Load of
// `vejviser train` that wrote the classifier; example files of any other bytes are decoded
// and checked as by Load. `vejviser check` and `train` use Load, so they check every file
// with the program's own rules.
//
// Reading and decoding the 190,634 examples (38 MB) and hashing their texts for the
// classifier's key was a third of a cold `vejviser ask`: 0.89–1.21 s and a peak resident size
// of 261–291 MiB with them, 0.57–0.78 s and 153–160 MiB with this (ten runs alternating,
// 2026-12-05, forty-fourth session).
func LoadForServing(fsys fs.FS, now time.Time) (*Base, error) { return load(fsys, now, true) }

func load(fsys fs.FS, now time.Time, lazyExamples bool) (*Base, error) {
	l := &loader{fsys: fsys, now: now, base: &Base{byID: map[string]*Entry{}}, hash: sha256.New(), lazyExamples: lazyExamples}
	l.loadKommuner()
	l.loadEntries()
	l.loadServices()
	l.loadSynonyms()
	l.loadOutside()
	l.loadCrisis()
	l.loadQuestions()
	l.loadAsked()
	l.crossCheck()

	ps := l.c.ps
	slices.SortStableFunc(ps, func(a, b Problem) int {
		return cmp.Or(cmp.Compare(a.File, b.File), cmp.Compare(a.Line, b.Line), cmp.Compare(a.Col, b.Col))
	})
	if len(ps.Errors()) > 0 {
		return nil, ps
	}
	l.base.Warnings = ps
	l.base.Version = hex.EncodeToString(l.hash.Sum(nil))[:12]
	return l.base, nil
}

type loader struct {
	fsys     fs.FS
	now      time.Time
	base     *Base
	c        collector
	hash     hash.Hash
	entryIdx map[string]keyIndex // per entry file, for cross-checks
	entryPos map[string]string   // id → file
	broken   map[string]bool     // ids (file names) of entries that failed to parse
	// bytesRead counts the bytes of all files read, against MaxFolderBytes; tooBig is set
	// once the limit has been reported.
	bytesRead int
	tooBig    bool
	// lazyExamples leaves crisis examples undecoded when crisis.model names their bytes
	// (LoadForServing).
	lazyExamples bool
}

// read returns a file's text, or reports why it cannot be read.
func (l *loader) read(name string, required bool) (string, bool) {
	data, ok := l.readData(name, required)
	if !ok {
		return "", false
	}
	fmt.Fprintf(l.hash, "%s\x00%d\x00", name, len(data))
	l.hash.Write(data)
	return fileText(data), true
}

// readData returns a file's bytes within the folder's limits, or reports why it cannot be
// read.
func (l *loader) readData(name string, required bool) ([]byte, bool) {
	if l.bytesRead >= MaxFolderBytes {
		if !l.tooBig {
			l.tooBig = true
			l.c.add(name, pos{}, "the knowledge files hold more than %d bytes in all; the rest is not read", MaxFolderBytes)
		}
		return nil, false
	}
	data, err := readBounded(l.fsys, name, MaxFileSize)
	if err == nil {
		l.bytesRead += len(data)
		if l.bytesRead > MaxFolderBytes {
			l.tooBig = true
			l.c.add(name, pos{}, "the knowledge files hold more than %d bytes in all; the rest is not read", MaxFolderBytes)
			return nil, false
		}
	}
	if err != nil {
		if required || !isNotExist(err) {
			l.c.add(name, pos{}, "cannot read the file: %v", whyUnreadable(err))
		}
		return nil, false
	}
	return data, true
}

// fileText is a file's bytes as text, without a byte-order mark and with Windows line ends
// made plain.
func fileText(data []byte) string {
	// The text shares data's bytes: nothing writes to data after this, and the copy a
	// string conversion makes was 0.08 of a cold `vejviser ask`'s 1.0 s (its profile,
	// 2026-12-04), the crisis examples being tens of MB.
	text := strings.TrimPrefix(unsafe.String(unsafe.SliceData(data), len(data)), "\uFEFF")
	return strings.ReplaceAll(text, "\r\n", "\n")
}

func isNotExist(err error) bool { return errors.Is(err, fs.ErrNotExist) }

// whyUnreadable is the reason a file could not be read, for a problem message: "the file does
// not exist", a message of readBounded's (too big, not a regular file) or the bare system error.
func whyUnreadable(err error) any {
	if isNotExist(err) {
		return msgf("the file does not exist")
	}
	if m, ok := err.(message); ok {
		return m
	}
	return cleanErr(err)
}

func cleanErr(err error) string {
	if pe, ok := err.(*fs.PathError); ok {
		return pe.Err.Error()
	}
	return err.Error()
}

func (l *loader) loadKommuner() {
	src, ok := l.read(KommunerFile, true)
	if !ok {
		return
	}
	var f struct {
		Kommune []Kommune `toml:"kommune"`
	}
	idx, ok := decodeStrict(&l.c, KommunerFile, src, 1, &f)
	if !ok {
		return
	}
	names := map[string]bool{}
	towns := map[string]string{}
	for i, k := range f.Kommune {
		key := fmt.Sprintf("kommune.%d", i)
		if strings.TrimSpace(k.Name) == "" {
			l.c.add(KommunerFile, idx.at(key, pos{}), "kommune without name")
			continue
		}
		if names[foldKey(k.Name)] {
			l.c.add(KommunerFile, idx.at(key+".name", pos{}), "kommune %q is listed twice", k.Name)
		}
		names[foldKey(k.Name)] = true
		for _, t := range append(slices.Clone(k.Towns), k.Spellings...) {
			if other, dup := towns[foldKey(t)]; dup && other != k.Name {
				l.c.add(KommunerFile, idx.at(key+".towns", pos{}), "town %q is listed under both %s and %s", t, other, k.Name)
			}
			towns[foldKey(t)] = k.Name
		}
		for _, a := range k.Ambiguous {
			if !slices.ContainsFunc(k.Towns, func(t string) bool { return strings.EqualFold(t, a) }) {
				l.c.add(KommunerFile, idx.at(key+".ambiguous", pos{}), "ambiguous town %q is not in towns", a)
			}
		}
	}
	l.base.Kommuner = f.Kommune
}

func foldKey(s string) string { return strings.ToLower(strings.TrimSpace(s)) }

func (l *loader) knownKommune(name string) bool {
	_, ok := l.base.Kommune(name)
	return ok
}

func (l *loader) loadEntries() {
	l.entryIdx = map[string]keyIndex{}
	l.entryPos = map[string]string{}
	l.broken = map[string]bool{}
	names, err := fs.Glob(l.fsys, EntriesDir+"/*.md")
	if err != nil || len(names) == 0 {
		l.c.add(EntriesDir, pos{}, "no entries found (want %s/<id>.md files)", EntriesDir)
		return
	}
	for _, name := range names {
		if strings.EqualFold(path.Base(name), "README.md") {
			continue
		}
		src, ok := l.read(name, true)
		if !ok {
			continue
		}
		e, idx := l.parseEntry(name, src)
		if e == nil {
			l.broken[strings.TrimSuffix(path.Base(name), ".md")] = true
			continue
		}
		if other, dup := l.entryPos[e.ID]; dup {
			l.c.add(name, idx.at("id", pos{1, 1}), "duplicate id %q (also in %s)", e.ID, other)
			continue
		}
		l.entryPos[e.ID] = name
		l.entryIdx[e.ID] = idx
		l.base.Entries = append(l.base.Entries, e)
		l.base.byID[e.ID] = e
	}
}

// SplitFrontMatter splits an entry file into its TOML front matter and its Markdown body.
// The file must start with a line "+++" and the front matter ends at the next such line.
// bodyLine is the file line on which the body starts.
func SplitFrontMatter(src string) (front, body string, bodyLine int, err error) {
	if !strings.HasPrefix(src, "+++\n") && src != "+++" && !strings.HasPrefix(src, "+++ ") {
		return "", "", 0, msgf("the file must start with a line +++ that opens the front matter")
	}
	rest := src[strings.Index(src, "\n")+1:]
	if !strings.Contains(src, "\n") {
		rest = ""
	}
	offset := 0
	for i, line := range strings.SplitAfter(rest, "\n") {
		if strings.TrimRight(line, " \t\n") == "+++" {
			return rest[:offset], rest[offset+len(line):], i + 3, nil
		}
		offset += len(line)
	}
	return "", "", 0, msgf("the front matter is never closed: add a line +++ after it")
}

func (l *loader) parseEntry(name, src string) (*Entry, keyIndex) {
	front, body, _, err := SplitFrontMatter(src)
	if err != nil {
		l.c.add(name, pos{1, 1}, "%v", err)
		return nil, nil
	}
	var e Entry
	idx, ok := decodeStrict(&l.c, name, front, 2, &e)
	if !ok {
		return nil, nil
	}
	e.Body = strings.TrimSpace(body)
	e.File = name
	top := pos{1, 1}
	stem := strings.TrimSuffix(path.Base(name), ".md")
	switch {
	case l.c.isBad(name, "id"): // reported while decoding
	case e.ID == "":
		l.c.add(name, top, "missing required key \"id\" (it must be %q, the file's name)", stem)
	case !idPattern.MatchString(e.ID):
		l.c.add(name, idx.at("id", top), "id %q must be lowercase letters, digits and single hyphens (æ→ae, ø→oe, å→aa)", e.ID)
	case e.ID != stem:
		l.c.add(name, idx.at("id", top), "id %q does not match the file name %q", e.ID, stem+".md")
	}
	if e.ID == "" {
		e.ID = stem
	}
	l.required(name, idx, top, "title", e.Title)
	l.required(name, idx, top, "summary", e.Summary)
	l.required(name, idx, top, "en.title", e.EN.Title)
	l.required(name, idx, top, "en.summary", e.EN.Summary)
	checkSummary(&l.c, name, idx.at("summary", top), e.Summary)
	if len(e.Keywords) == 0 {
		l.c.add(name, idx.at("keywords", top), "missing required key \"keywords\" (words young people would search with)")
	}
	if len(e.EN.Keywords) == 0 {
		l.c.add(name, idx.at("en.keywords", idx.at("en", top)), "missing required key \"en.keywords\"")
	}
	if len(e.Audience) == 0 {
		l.c.add(name, idx.at("audience", top), "missing required key \"audience\" (one or more of %s)", strings.Join(Audiences, ", "))
	}
	for _, a := range e.Audience {
		if !slices.Contains(Audiences, a) {
			l.c.add(name, idx.at("audience", top), "unknown audience %q (use %s)", a, strings.Join(Audiences, ", "))
		}
	}
	switch {
	case l.c.isBad(name, "reviewed"): // reported while decoding
	case e.Reviewed.IsZero():
		l.c.add(name, top, "missing required key \"reviewed\" (the date the entry was last checked, e.g. reviewed = 2026-11-26)")
	case e.Reviewed.After(l.now.Add(24 * time.Hour)):
		l.c.add(name, idx.at("reviewed", top), "reviewed date %s is in the future", e.Reviewed.Format(time.DateOnly))
	case !l.now.Before(e.ReviewDue()):
		l.c.warn(name, idx.at("reviewed", top), "review is due: reviewed %s, to be reviewed every %d days (by %s)",
			e.Reviewed.Format(time.DateOnly), cmp.Or(e.ReviewEvery, DefaultReviewEvery), e.ReviewDue().Format(time.DateOnly))
	}
	if e.ReviewEvery < 0 {
		l.c.add(name, idx.at("review_every", top), "review_every must be a positive number of days")
	}
	for _, k := range e.Services {
		if _, ok := KindByID(k); !ok {
			l.c.add(name, idx.at("services", top), "unknown service kind %q (known: %s)", k, kindList())
		}
	}
	if len(e.Sources) == 0 && !l.c.isBad(name, "sources") {
		l.c.add(name, top, "missing required [[sources]]: every entry cites at least one source with title and url")
	}
	for i, s := range e.Sources {
		key := fmt.Sprintf("sources.%d", i)
		if strings.TrimSpace(s.Title) == "" {
			l.c.add(name, idx.at(key, top), "source %d has no title", i+1)
		}
		if msg := checkURL(s.URL); !msg.empty() {
			l.c.add(name, idx.at(key+".url", top), "source %d: %s", i+1, msg)
		}
		if s.Date != "" && s.Date != Undated {
			if _, ok := ParseSourceDate(s.Date); !ok {
				l.c.add(name, idx.at(key+".date", top), "source %d: date %q: write the page's own date as \"YYYY-MM-DD\", \"YYYY-MM\", \"YYYY\" or %q", i+1, s.Date, Undated)
			}
		}
	}
	if e.Body == "" {
		l.c.warn(name, top, "the entry has no body text after the front matter")
	}
	l.checkAmounts(name, &e, idx, top)
	fillPlain(&e)
	for _, a := range e.Aliases {
		if len(FoldedWords(a)) == 0 {
			l.c.add(name, idx.at("aliases", top), "alias %q has no letters or digits", a)
		}
	}
	for lang, qs := range map[string][]string{"Danish": e.Questions, "English": e.EN.Questions} {
		key, in := "questions", msgf("Danish")
		if lang == "English" {
			key, in = "en.questions", msgf("English")
		}
		for _, q := range qs {
			if strings.TrimSpace(q) == "" {
				l.c.add(name, idx.at(key, top), "empty example question")
			}
		}
		if len(qs) < MinExampleQuestions {
			l.c.warn(name, idx.at(key, top), "%d example questions in %s; write at least %d – the ways young people and counsellors ask for this entry",
				len(qs), in, MinExampleQuestions)
		}
	}
	return &e, idx
}

// MinExampleQuestions is how many example questions check wants per entry and language.
const MinExampleQuestions = 8

// QuestionKey is how example questions and evaluation questions are compared for copies: the
// folded words, joined by spaces ("Hvad er FGU?" and "hvad er fgu" are the same question).
func QuestionKey(q string) string { return strings.Join(FoldedWords(q), " ") }

// Without returns a copy of b without the asked and evaluation questions (Base.Asked,
// Base.Questions) that are among qs, compared as QuestionKey compares them: the base a
// question set is measured on when the index must not have learned from that set's own
// questions (the confidence fit, the leave-one-set-out dev tests). b is left as it was.
func (b *Base) Without(qs []Question) *Base {
	out := make(map[string]bool, len(qs))
	for _, q := range qs {
		out[QuestionKey(q.Text)] = true
	}
	keep := func(qs []Question) []Question {
		var kept []Question
		for _, q := range qs {
			if !out[QuestionKey(q.Text)] {
				kept = append(kept, q)
			}
		}
		return kept
	}
	c := *b
	c.Asked, c.Questions = keep(b.Asked), keep(b.Questions)
	return &c
}

// CopiedQuestions reports every example question of base that copies a question of an
// evaluation set: evaluation maps QuestionKey of each evaluation question to the file it is in.
// An example question must never be a test question, or the test measures nothing.
func CopiedQuestions(base *Base, evaluation map[string]string) Problems {
	var c collector
	for _, e := range base.Entries {
		for _, q := range slices.Concat(e.Questions, e.EN.Questions) {
			if file, ok := evaluation[QuestionKey(q)]; ok {
				c.add(e.File, pos{}, "example question %q copies a question of %s: write the entry's own questions", q, file)
			}
		}
	}
	for _, t := range base.Outside {
		for _, q := range slices.Concat(t.Questions, t.EN.Questions) {
			if file, ok := evaluation[QuestionKey(q)]; ok {
				c.add(OutsideFile, pos{}, "example question %q of outside topic %q copies a question of %s: write the topic's own questions", q, t.ID, file)
			}
		}
	}
	return c.ps
}

func (l *loader) required(file string, idx keyIndex, top pos, key, value string) {
	if strings.TrimSpace(value) == "" && !l.c.isBad(file, key) {
		p := top
		if i := strings.LastIndex(key, "."); i > 0 {
			p = idx.at(key[:i], top)
		}
		l.c.add(file, p, "missing required key %q", key)
	}
}

// sentenceEnd matches the end of a sentence: a full stop, ! or ? before a capital letter or
// the end; "1. juli" and "kr. 550" are not sentence ends.
var sentenceEnd = regexp.MustCompile(`[.!?](\s+\p{Lu}|\s*$)`)

func checkSummary(c *collector, file string, p pos, s string) {
	if s == "" {
		return
	}
	if n := len(sentenceEnd.FindAllString(s, -1)); n > 3 {
		c.warn(file, p, "summary has %d sentences; keep it to 1–3 plain sentences", n)
	}
	if n := len([]rune(s)); n > 400 {
		c.warn(file, p, "summary is %d characters; keep it under 400", n)
	}
}

// checkURL returns why u is not an acceptable link, or the empty message.
func checkURL(u string) message {
	if strings.TrimSpace(u) == "" {
		return msgf("missing url")
	}
	p, err := url.Parse(u)
	if err != nil || (p.Scheme != "https" && p.Scheme != "http") || !strings.Contains(p.Host, ".") || strings.ContainsAny(u, " \t\n") {
		return msgf("bad url %q: want a full https:// address", u)
	}
	return message{}
}

func kindList() string {
	ids := make([]string, len(Kinds))
	for i, k := range Kinds {
		ids[i] = k.ID
	}
	return strings.Join(ids, ", ")
}

var phonePattern = regexp.MustCompile(`^\+?[0-9][0-9 ]{1,14}[0-9]$`)

func (l *loader) loadServices() {
	names, _ := fs.Glob(l.fsys, ServicesDir+"/*.toml")
	if len(names) == 0 {
		l.c.add(ServicesDir, pos{}, "no service files found (want %s/<kommune>.toml)", ServicesDir)
		return
	}
	for _, name := range names {
		src, ok := l.read(name, true)
		if !ok {
			continue
		}
		var f struct {
			Kommune string    `toml:"kommune"`
			Service []Service `toml:"service"`
		}
		idx, ok := decodeStrict(&l.c, name, src, 1, &f)
		if !ok {
			continue
		}
		top := pos{1, 1}
		kommune := f.Kommune
		switch {
		case l.c.isBad(name, "kommune"): // reported while decoding
		case kommune == "":
			l.c.add(name, top, "missing required key \"kommune\" (a municipality's name, or %q)", RegionWide)
		case kommune == RegionWide:
		case !l.knownKommune(kommune):
			l.c.add(name, idx.at("kommune", top), "unknown kommune %q (see %s)", kommune, KommunerFile)
		default:
			k, _ := l.base.Kommune(kommune)
			kommune = k.Name
		}
		for i, s := range f.Service {
			key := fmt.Sprintf("service.%d", i)
			at := func(field string) pos { return idx.at(key+"."+field, idx.at(key, top)) }
			s.Kommune, s.File = kommune, name
			if _, ok := KindByID(s.Kind); !ok {
				l.c.add(name, at("kind"), "unknown service kind %q (known: %s)", s.Kind, kindList())
			}
			if strings.TrimSpace(s.Name) == "" {
				l.c.add(name, at("name"), "service has no name")
			}
			if msg := checkURL(s.URL); !msg.empty() {
				l.c.add(name, at("url"), "%s", msg)
			}
			if s.Source != "" {
				if msg := checkURL(s.Source); !msg.empty() {
					l.c.add(name, at("source"), "source: %s", msg)
				}
			}
			if s.Phone != "" && !phonePattern.MatchString(s.Phone) {
				l.c.add(name, at("phone"), "phone %q: write digits and spaces only, e.g. \"70 11 31 31\"", s.Phone)
			}
			l.checkServiceEvidence(name, s, at, key)
			l.base.Services = append(l.base.Services, s)
		}
	}
}

func (l *loader) loadSynonyms() {
	src, ok := l.read(SynonymsFile, false)
	if !ok {
		return
	}
	var f struct {
		Synonym []Synonym `toml:"synonym"`
	}
	idx, ok := decodeStrict(&l.c, SynonymsFile, src, 1, &f)
	if !ok {
		return
	}
	for i, s := range f.Synonym {
		if len(s.Terms) < 2 {
			l.c.add(SynonymsFile, idx.at(fmt.Sprintf("synonym.%d", i), pos{}), "a synonym group needs at least two terms")
		}
		for _, t := range s.Terms {
			if strings.TrimSpace(t) == "" {
				l.c.add(SynonymsFile, idx.at(fmt.Sprintf("synonym.%d.terms", i), pos{}), "empty synonym term")
			}
		}
	}
	l.base.Synonyms = f.Synonym
}

func (l *loader) loadOutside() {
	src, ok := l.read(OutsideFile, false)
	if !ok {
		return
	}
	var f struct {
		Topic []OutsideTopic `toml:"topic"`
	}
	idx, ok := decodeStrict(&l.c, OutsideFile, src, 1, &f)
	if !ok {
		return
	}
	seen := map[string]bool{}
	for i, t := range f.Topic {
		at := func(key string) pos {
			return idx.at(fmt.Sprintf("topic.%d.%s", i, key), idx.at(fmt.Sprintf("topic.%d", i), pos{}))
		}
		switch {
		case !idPattern.MatchString(t.ID):
			l.c.add(OutsideFile, at("id"), "outside topic id %q must be lowercase letters, digits and dashes", t.ID)
		case seen[t.ID]:
			l.c.add(OutsideFile, at("id"), "outside topic id %q is used twice", t.ID)
		case l.entryPos[t.ID] != "" || l.broken[t.ID]:
			l.c.add(OutsideFile, at("id"), "outside topic id %q is also an entry's id", t.ID)
		}
		seen[t.ID] = true
		if strings.TrimSpace(t.Title) == "" {
			l.c.add(OutsideFile, at("title"), "outside topic %q needs a title: the reply names the subject by it", t.ID)
		}
		if len(t.Questions) == 0 {
			l.c.add(OutsideFile, at("questions"), "outside topic %q needs example questions: they are how a question is recognised as this subject", t.ID)
		}
		for _, q := range slices.Concat(t.Questions, t.EN.Questions, t.Keywords, t.EN.Keywords) {
			if strings.TrimSpace(q) == "" {
				l.c.add(OutsideFile, at("questions"), "outside topic %q has an empty question or keyword", t.ID)
				break
			}
		}
	}
	l.base.Outside = f.Topic
}

func (l *loader) loadQuestions() {
	qs, _ := l.readQuestions(QuestionsFile)
	l.base.Questions = qs
	eval := map[string]string{}
	for _, q := range qs {
		eval[QuestionKey(q.Text)] = QuestionsFile
	}
	for _, p := range CopiedQuestions(l.base, eval) {
		at := l.entryIdx[strings.TrimSuffix(path.Base(p.File), ".md")].at("questions", pos{1, 1})
		p.Line, p.Col = at.line, at.col
		l.c.ps = append(l.c.ps, p)
	}
}

// loadAsked reads the questions of AskedDir into Base.Asked: those entries answer and those
// marked off-topic. A crisis message or a question with neither teaches nothing and is left
// out, as is one with a fault. The folder is optional.
func (l *loader) loadAsked() {
	names, _ := fs.Glob(l.fsys, AskedDir+"/*.toml")
	for _, name := range names {
		qs, valid := l.readQuestions(name)
		for i, q := range qs {
			if valid[i] && (len(q.Want) > 0 || q.Offtopic) && !q.Crisis {
				l.base.Asked = append(l.base.Asked, q)
			}
		}
	}
}

// readQuestions reads and checks a questions file (QuestionsFile or one of AskedDir): each
// question needs a text, entries that exist and a known kommune, and each fault is reported
// with its line. valid[i] tells whether question i has none. A missing file gives nothing.
// A check added here or in decodeQuestions belongs in questionFault too, or the fast path
// would take a file with that fault.
func (l *loader) readQuestions(name string) (qs []Question, valid []bool) {
	src, ok := l.read(name, false)
	if !ok {
		return nil, nil
	}
	if qs, ok := decodeQuestionsFast(src); ok && !slices.ContainsFunc(qs, l.questionFault) {
		valid = make([]bool, len(qs))
		for i := range valid {
			valid[i] = true
		}
		return qs, valid
	}
	// The TOML decoder, which knows where each question stands, reports the faults.
	qs, idx, ok := decodeQuestions(&l.c, name, src)
	if !ok {
		return nil, nil
	}
	valid = make([]bool, len(qs))
	for i, q := range qs {
		at := func(field string) pos {
			return idx.at(fmt.Sprintf("q.%d.%s", i, field), idx.at(fmt.Sprintf("q.%d", i), pos{}))
		}
		faults := len(l.c.ps)
		if strings.TrimSpace(q.Text) == "" {
			l.c.add(name, at("text"), "question without text")
		}
		for _, id := range q.Want {
			if _, ok := l.base.byID[id]; !ok && !l.broken[id] {
				l.c.add(name, at("want"), "unknown entry id %q", id)
			}
		}
		if q.Kommune != "" && !l.knownKommune(q.Kommune) {
			l.c.add(name, at("kommune"), "unknown kommune %q", q.Kommune)
		}
		valid[i] = len(l.c.ps) == faults
	}
	return qs, valid
}

// questionFault reports whether readQuestions or decodeQuestions would report a problem or a
// warning about q: the fast path (decodeQuestionsFast) takes only a file without any.
func (l *loader) questionFault(q Question) bool {
	if strings.TrimSpace(q.Text) == "" || (q.Lang != "" && q.Lang != "da" && q.Lang != "en") ||
		(len(q.Want) == 0 && !q.Offtopic && !q.Crisis && q.Kommune == "") ||
		(q.Kommune != "" && !l.knownKommune(q.Kommune)) {
		return true
	}
	return slices.ContainsFunc(q.Want, func(id string) bool {
		_, ok := l.base.byID[id]
		return !ok && !l.broken[id]
	})
}

// decodeQuestions decodes a questions file ([[q]] text, want, kommune, crisis, offtopic,
// lang, source) strictly, and warns about a question that has nothing to measure but its
// language (a blind set once wrote its off-topic questions as want = [], and eval left them out).
func decodeQuestions(c *collector, file, src string) ([]Question, keyIndex, bool) {
	var f struct {
		Q []Question `toml:"q"`
	}
	idx, ok := decodeStrict(c, file, src, 1, &f)
	if !ok {
		return nil, idx, false
	}
	for i, q := range f.Q {
		if q.Lang != "" && q.Lang != "da" && q.Lang != "en" {
			c.add(file, idx.at(fmt.Sprintf("q.%d.lang", i), pos{}), "lang %q: use \"da\" or \"en\"", q.Lang)
		}
		if len(q.Want) == 0 && !q.Offtopic && !q.Crisis && q.Kommune == "" {
			c.warn(file, idx.at(fmt.Sprintf("q.%d", i), pos{}), "question %q has no want, offtopic, crisis or kommune: only its language is measured (write offtopic = true for a question no entry answers)", q.Text)
		}
	}
	return f.Q, idx, true
}

// LoadQuestions reads a questions file such as knowledge/questions.toml or an evaluation
// set, without checking entry ids against a base. Keys it does not know are returned as
// warnings, not errors, so a set written for another tool still runs; broken TOML, wrong
// types and bad lang values are errors (a Problems).
func LoadQuestions(fsys fs.FS, name string) ([]Question, []Problem, error) {
	data, err := readBounded(fsys, name, MaxFileSize)
	if err != nil {
		return nil, nil, fmt.Errorf("read questions: %w", err)
	}
	var c collector
	qs, _, ok := decodeQuestions(&c, name, string(data))
	var errs, warnings Problems
	for _, p := range c.ps {
		if p.Warning || strings.HasPrefix(p.Msg, "unknown key") {
			p.Warning = true
			warnings = append(warnings, p)
		} else {
			errs = append(errs, p)
		}
	}
	if !ok || len(errs) > 0 {
		return nil, warnings, append(errs, warnings...)
	}
	return qs, warnings, nil
}

func (l *loader) crossCheck() {
	named := map[string]string{} // folded alias → the first entry it names
	for _, e := range l.base.Entries {
		idx := l.entryIdx[e.ID]
		for _, a := range e.Aliases {
			key := QuestionKey(a)
			if other, ok := named[key]; ok && other != e.ID {
				l.c.warn(e.File, idx.at("aliases", pos{1, 1}), "alias %q also names %s: an alias names the entry that is the offer; an entry that only tells about it keeps the name as a keyword", a, other)
			} else if !ok {
				named[key] = e.ID
			}
		}
		for _, r := range e.Related {
			if _, ok := l.base.byID[r]; !ok && !l.broken[r] {
				l.c.add(e.File, idx.at("related", pos{1, 1}), "related entry %q does not exist", r)
			}
		}
		if p := e.PartOf; p != "" {
			parent, ok := l.base.byID[p]
			switch {
			case p == e.ID:
				l.c.add(e.File, idx.at("part_of", pos{1, 1}), "part_of names the entry itself: name the offer this entry tells one side of")
			case !ok && !l.broken[p]:
				l.c.add(e.File, idx.at("part_of", pos{1, 1}), "part_of entry %q does not exist", p)
			case ok && parent.PartOf != "":
				l.c.add(e.File, idx.at("part_of", pos{1, 1}), "part_of entry %q is itself part of %q: name the offer itself", p, parent.PartOf)
			}
		}
	}
	if len(l.base.Entries) > 0 {
		if _, ok := l.base.byID[CrisisEntryID]; !ok && !l.broken[CrisisEntryID] {
			l.c.add(EntriesDir, pos{}, "the entry %q is missing: the crisis card needs it", CrisisEntryID)
		}
	}
	if len(l.base.Services) == 0 {
		return
	}
	for _, k := range l.base.Kommuner {
		file := ServicesDir // the kommune's own file when it has one
		if i := slices.IndexFunc(l.base.Services, func(s Service) bool { return s.Kommune == k.Name }); i >= 0 {
			file = l.base.Services[i].File
		}
		for _, kind := range RequiredKinds {
			if !slices.ContainsFunc(l.base.Services, func(s Service) bool { return s.Kommune == k.Name && s.Kind == kind }) {
				l.c.add(file, pos{}, "kommune %s has no service of kind %q (every kommune needs %s)",
					k.Name, kind, strings.Join(RequiredKinds, ", "))
			}
		}
	}
}
