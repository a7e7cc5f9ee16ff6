package knowledge

import (
	"bytes"
	"errors"
	"fmt"
	"reflect"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/BurntSushi/toml"
)

// pos is a 1-based line and column in a file; the zero value means "unknown".
type pos struct{ line, col int }

// keyIndex maps the dotted path of each key in a TOML text to where it is written:
// "id", "en.title", "sources.1.url" (array tables carry their index, also inside another
// array table: "line.2.sources.0.url"). Table headers are indexed under their own path
// ("en", "sources.1").
type keyIndex map[string]pos

// scanKey reads a dotted key as written at the start of s ("title", "en . title", `"a".b`):
// its parts, bare (letters, digits, _ and -; editors' non-ASCII letters too, so a key like
// "nøgleord" is found) or quoted, and the rest of s after the key and the spaces behind it.
// It is a hand-written scanner because the regexp it replaced took 2 of 3.5 s of a load of
// the starter base under the race detector, for the 100,000 lines of its crisis examples
// (profile of TestCheckOKSummary, 2026-12-01).
func scanKey(s string) (parts []string, rest string) {
	for {
		s = strings.TrimLeft(s, " \t")
		part, after, ok := keyPart(s)
		if !ok {
			return parts, s
		}
		parts = append(parts, part)
		after = strings.TrimLeft(after, " \t")
		if !strings.HasPrefix(after, ".") {
			return parts, after
		}
		s = after[1:]
	}
}

// keyPart reads one part of a dotted key at the start of s: a bare key or a quoted one
// (without its quotes).
func keyPart(s string) (part, rest string, ok bool) {
	if s == "" {
		return "", s, false
	}
	if q := s[0]; q == '"' || q == '\'' {
		end := strings.IndexAny(s[1:], string(q)+"\n")
		if end < 0 || s[1+end] != q {
			return "", s, false
		}
		return s[1 : 1+end], s[end+2:], true
	}
	end := strings.IndexFunc(s, func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r) && r != '_' && r != '-'
	})
	if end < 0 {
		end = len(s)
	}
	if end == 0 {
		return "", s, false
	}
	return s[:end], s[end:], true
}

// indexKeys scans src (a TOML text whose first line is line firstLine of its file) for keys.
// It is a line scanner, not a parser: it understands table headers, array tables (also
// nested ones), bare and quoted keys and multi-line strings, which is all the editors' files
// use.
func indexKeys(src string, firstLine int) keyIndex {
	idx := keyIndex{}
	counts := map[string]int{} // path of an array of tables → its tables so far
	// resolve turns a header's parts into a path, giving each part that names an array of
	// tables the index of its latest table: [line.sources] → "line.2.sources".
	resolve := func(parts []string) string {
		path := ""
		for i, p := range parts {
			if path != "" {
				path += "."
			}
			path += p
			if n := counts[path]; n > 0 && i < len(parts)-1 {
				path += "." + strconv.Itoa(n-1)
			}
		}
		return path
	}
	table := ""
	inMulti := false
	for i, line := range strings.Split(src, "\n") {
		n := firstLine + i
		if inMulti {
			if strings.Count(line, `"""`)%2 == 1 {
				inMulti = false
			}
			continue
		}
		trimmed := strings.TrimSpace(line)
		col := utf8.RuneCountInString(line) - utf8.RuneCountInString(strings.TrimLeft(line, " \t")) + 1
		switch {
		case trimmed == "" || strings.HasPrefix(trimmed, "#"):
			continue
		case strings.HasPrefix(trimmed, "[["):
			parts, _ := scanKey(trimmed[2:])
			base := resolve(parts)
			table = base + "." + strconv.Itoa(counts[base])
			counts[base]++
			idx[table] = pos{n, col}
			continue
		case strings.HasPrefix(trimmed, "["):
			parts, _ := scanKey(trimmed[1:])
			table = resolve(parts)
			idx[table] = pos{n, col}
			continue
		}
		if parts, rest := scanKey(trimmed); len(parts) > 0 && strings.HasPrefix(rest, "=") {
			path := strings.Join(parts, ".")
			if table != "" {
				path = table + "." + path
			}
			if _, seen := idx[path]; !seen {
				idx[path] = pos{n, col}
			}
		}
		if strings.Count(line, `"""`)%2 == 1 {
			inMulti = true
		}
	}
	return idx
}

// at returns the position of path, or of its nearest indexed parent, or fallback.
func (idx keyIndex) at(path string, fallback pos) pos {
	for path != "" {
		if p, ok := idx[path]; ok {
			return p
		}
		i := strings.LastIndex(path, ".")
		if i < 0 {
			break
		}
		path = path[:i]
	}
	return fallback
}

// find returns the positions of every key whose path, with array indexes removed, is key.
func (idx keyIndex) find(key []string) []pos {
	return idx.byStrippedPath()[strings.Join(key, ".")]
}

// byStrippedPath groups the positions by their path without array indexes ("sources.url"),
// each list in line order.
func (idx keyIndex) byStrippedPath() map[string][]pos {
	out := map[string][]pos{}
	for path, p := range idx {
		k := stripIndexes(path)
		out[k] = append(out[k], p)
	}
	for _, ps := range out {
		slices.SortFunc(ps, func(a, b pos) int { return a.line - b.line })
	}
	return out
}

func stripIndexes(path string) string {
	parts := strings.Split(path, ".")
	kept := parts[:0]
	for _, p := range parts {
		if _, err := strconv.Atoi(p); err != nil {
			kept = append(kept, p)
		}
	}
	return strings.Join(kept, ".")
}

var errLine = regexp.MustCompile(`line (\d+)`)

// decodeStrict decodes src into v (a pointer to a struct) and reports syntax errors, values
// of the wrong kind and unknown keys to c. firstLine is the file line of src's first line.
//
// A value that cannot be decoded (a date in quotes, text where a number belongs) is reported
// and left out, and the rest of the file is decoded without it, so unknown keys and the
// caller's checks still run: one run shows every fault. The keys left out are marked in c
// (collector.isBad). It returns false only if v could not be decoded at all (broken TOML).
func decodeStrict(c *collector, file, src string, firstLine int, v any) (keyIndex, bool) {
	if !utf8.ValidString(src) {
		line := firstLine + strings.Count(src[:firstInvalid(src)], "\n")
		c.add(file, pos{line, 1}, "the file is not valid UTF-8 text; save it as UTF-8")
		return nil, false
	}
	if line, msg := checkStructure(src, firstLine); !msg.empty() {
		c.add(file, pos{line, 1}, "%v: the file is refused before it is read", msg)
		return nil, false
	}
	idx := indexKeys(src, firstLine)
	t := reflect.TypeOf(v).Elem()
	md, err := toml.Decode(src, v)
	var bad []badValue
	if err != nil {
		var raw map[string]any
		if _, perr := toml.Decode(src, &raw); perr != nil {
			reportSyntax(c, file, src, firstLine, perr, t)
			return idx, false
		}
		if bad = findBadValues(raw, t, nil); len(bad) == 0 {
			reportDecodeError(c, file, firstLine, err)
			return idx, false
		}
		for _, b := range bad {
			b.report(c, file, src, firstLine, idx)
			deletePath(raw, b.path)
		}
		if md, err = redecode(raw, v); err != nil {
			return idx, false // not expected: every value left was checked on its own
		}
	}
	seen := map[pos]bool{}
	var byKey map[string][]pos // built once: one lookup per unknown key, not a scan
	for _, k := range md.Undecoded() {
		if byKey == nil {
			byKey = idx.byStrippedPath()
		}
		ps := byKey[strings.Join(k, ".")]
		if len(ps) == 0 {
			ps = []pos{{firstLine, 1}}
		}
		name := strings.Join(k, ".")
		better := suggestKey(t, k)
		for _, p := range ps {
			if seen[p] {
				continue
			}
			seen[p] = true
			if better != "" {
				c.add(file, p, "unknown key %q – did you mean %q?", name, better)
			} else {
				c.add(file, p, "unknown key %q", name)
			}
		}
	}
	for _, b := range bad {
		line := 0
		if p, ok := idx[strings.Join(b.path, ".")]; ok {
			line = p.line
		}
		c.markBad(file, strings.Join(b.path, "."), line)
	}
	return idx, true
}

// reportDecodeError reports a decoding error that findBadValues could not pin to a value.
func reportDecodeError(c *collector, file string, firstLine int, err error) {
	p := pos{firstLine, 1}
	if m := errLine.FindStringSubmatch(err.Error()); m != nil {
		n, _ := strconv.Atoi(m[1])
		p = pos{firstLine + n - 1, 1}
	}
	msg := strings.TrimPrefix(err.Error(), "toml: ")
	if i := strings.Index(msg, "): "); i >= 0 && strings.HasPrefix(msg, "line ") {
		msg = msg[i+3:]
	}
	c.add(file, p, "wrong type: %s (dates are written without quotes, e.g. 2026-11-26; lists in [ ])", msg)
}

// reportSyntax reports broken TOML, with a hint for the mistakes editors commonly make.
func reportSyntax(c *collector, file, src string, firstLine int, err error, t reflect.Type) {
	var pe toml.ParseError
	if !errors.As(err, &pe) {
		reportDecodeError(c, file, firstLine, err)
		return
	}
	col := pe.Position.Col
	if pe.Position.Start > 0 && pe.Position.Start <= len(src) {
		lineStart := strings.LastIndex(src[:pe.Position.Start], "\n") + 1
		col = utf8.RuneCountInString(src[lineStart:pe.Position.Start]) + 1 // characters, not bytes
	}
	p := pos{firstLine + pe.Position.Line - 1, col}
	line := lineOf(src, pe.Position.Line)
	// A date written the Danish way (26-11-2026, 26. november 2026) is broken TOML.
	if key, value, ok := strings.Cut(line, "="); ok && !alreadyDefined.MatchString(pe.Message) {
		value = strings.TrimSpace(stripComment(value))
		if iso, ok := danishDate(value); ok && iso != value && !strings.ContainsAny(value[:1], "\"'") {
			c.add(file, p, "bad date: write dates as YYYY-MM-DD without quotes, e.g. %s = %s", strings.TrimSpace(key), iso)
			return
		}
	}
	if hint := tomlHint(src, pe, t); !hint.empty() {
		c.add(file, p, "invalid TOML: %v (the TOML reader says: %s)", hint, pe.Message)
		return
	}
	c.add(file, p, "invalid TOML: %s", pe.Message)
}

// lineOf returns line n (1-based) of src, or "".
func lineOf(src string, n int) string {
	lines := strings.Split(src, "\n")
	if n < 1 || n > len(lines) {
		return ""
	}
	return lines[n-1]
}

// stripComment removes a trailing # comment that is not inside quotes.
func stripComment(s string) string {
	var quote rune
	for i, r := range s {
		switch {
		case quote != 0 && r == quote:
			quote = 0
		case quote == 0 && (r == '"' || r == '\''):
			quote = r
		case quote == 0 && r == '#':
			return s[:i]
		}
	}
	return s
}

// smartQuotes are the typographic quotes that word processors put in place of ".
const smartQuotes = "“”„‘’‚«»"

var (
	alreadyDefined = regexp.MustCompile(`Key '(.+)' has already been defined`)
	foundWord      = regexp.MustCompile(`^expected value but found "`)
)

// tomlHint explains a TOML syntax error in an editor's words when it is one of the common
// mistakes: a missing closing quote, curly quotes, a list without commas, a missing =, a
// key with æ/ø/å, a table or key written twice, a quote inside a text, text without quotes.
// It returns the zero message for other errors.
func tomlHint(src string, pe toml.ParseError, t reflect.Type) message {
	msg := pe.Message
	line := lineOf(src, pe.Position.Line)
	var at rune
	if pe.Position.Start >= 0 && pe.Position.Start < len(src) {
		at, _ = utf8.DecodeRuneInString(src[pe.Position.Start:])
	}
	unclosed := strings.Contains(msg, "strings cannot contain newlines") || msg == `unexpected EOF; expected '"'`
	switch {
	case strings.ContainsAny(msg, smartQuotes) || strings.ContainsRune(smartQuotes, at) ||
		(unclosed && strings.ContainsAny(line, smartQuotes)):
		return msgf("write straight quotes \" instead of curly quotes “ ” ‘ ’ (they come from Word and similar programs)")
	case unclosed:
		return msgf("a text is missing its closing quote: end it with \" on the same line, or write text over several lines between \"\"\" and \"\"\"")
	case strings.Contains(msg, `expected '"""'`):
		return msgf("a text begun with \"\"\" is never closed: end it with \"\"\"")
	case strings.HasPrefix(msg, "expected a comma"):
		return msgf("put a comma between the items of a list, and each text in quotes, e.g. [\"unge\", \"forældre\"]")
	case strings.HasPrefix(msg, "expected '.' or '='"):
		key := strings.TrimSpace(strings.SplitN(line, "=", 2)[0])
		if strings.IndexFunc(key, func(r rune) bool { return r > unicode.MaxASCII && unicode.IsLetter(r) }) >= 0 {
			if better := suggestKey(t, append(tableAt(src, pe.Position.Line), key)); better != "" {
				return msgf("key names may only use a–z, digits, - and _ (no æ, ø or å); did you mean %q?", better)
			}
			return msgf("key names may only use a–z, digits, - and _ (no æ, ø or å)")
		}
		return msgf("a key and its value are joined by =, e.g. title = \"FGU\"")
	case alreadyDefined.MatchString(msg):
		name := alreadyDefined.FindStringSubmatch(msg)[1]
		if trimmed := strings.TrimSpace(line); strings.HasPrefix(trimmed, "[") && !strings.HasPrefix(trimmed, "[[") {
			return msgf("the table [%s] is written twice: keep one [%s] and put all its keys under it", name, name)
		}
		return msgf("the key %q is written twice in the same table: delete one of them", name)
	case strings.HasPrefix(msg, "expected a top-level item to end with a newline") && strings.Count(line, `"`) >= 3:
		return msgf("a text contains a \" inside it: write \\\" for a quote inside a text, or use curly quotes “ ” there")
	case foundWord.MatchString(msg):
		return msgf("put text in quotes, e.g. title = \"FGU\"; lists of texts as [\"unge\", \"forældre\"]")
	case msg == `expected value but found '\n' instead`:
		return msgf("the value after = is missing")
	}
	return message{}
}

// tableAt returns the table (dotted parts, without array indexes) that line n of src is in.
func tableAt(src string, n int) []string {
	lines := strings.Split(src, "\n")
	for i := min(n-1, len(lines)) - 1; i >= 0; i-- {
		trimmed := strings.TrimSpace(lines[i])
		if strings.HasPrefix(trimmed, "[") {
			parts, _ := scanKey(strings.TrimLeft(trimmed, "["))
			return parts
		}
	}
	return nil
}

var (
	dateHintMonths = []string{"januar", "februar", "marts", "april", "maj", "juni", "juli", "august",
		"september", "oktober", "november", "december"}
	numericDate = regexp.MustCompile(`^(\d{1,2})[-./](\d{1,2})[-./](\d{4})$`)
	isoishDate  = regexp.MustCompile(`^(\d{4})[-./](\d{1,2})[-./](\d{1,2})$`)
	wordDate    = regexp.MustCompile(`^(\d{1,2})\.?\s+(\p{L}+)\.?\s+(\d{4})$`)
)

// danishDate reads a date written the way Danes write it ("26-11-2026", "26.11.2026",
// "26/11/2026", "26. november 2026"), or an ISO date with single digits or quotes
// ("2026-1-5", "\"2026-11-26\"") and returns it as YYYY-MM-DD.
func danishDate(s string) (string, bool) {
	s = strings.Trim(s, "\"' \t")
	var y, m, d string
	if g := numericDate.FindStringSubmatch(s); g != nil {
		d, m, y = g[1], g[2], g[3]
	} else if g := isoishDate.FindStringSubmatch(s); g != nil {
		y, m, d = g[1], g[2], g[3]
	} else if g := wordDate.FindStringSubmatch(s); g != nil {
		i := slices.IndexFunc(dateHintMonths, func(name string) bool {
			w := strings.ToLower(g[2])
			return w == name || (len(w) >= 3 && strings.HasPrefix(name, w))
		})
		if i < 0 {
			return "", false
		}
		d, m, y = g[1], strconv.Itoa(i+1), g[3]
	} else {
		return "", false
	}
	yn, _ := strconv.Atoi(y)
	mn, _ := strconv.Atoi(m)
	dn, _ := strconv.Atoi(d)
	iso := fmt.Sprintf("%04d-%02d-%02d", yn, mn, dn)
	if _, err := time.Parse(time.DateOnly, iso); err != nil {
		return "", false
	}
	return iso, true
}

// badValue is a value that cannot be decoded into its field.
type badValue struct {
	path  []string     // with array indexes: ["sources", "1", "title"]
	value any          // as the TOML reader read it
	field reflect.Type // the Go type it should fill
}

var (
	timeType          = reflect.TypeFor[time.Time]()
	textUnmarshalType = reflect.TypeFor[interface{ UnmarshalText([]byte) error }]()
)

// isTable reports whether t is decoded from a TOML table.
func isTable(t reflect.Type) bool {
	return t.Kind() == reflect.Struct && t != timeType && !reflect.PointerTo(t).Implements(textUnmarshalType)
}

func deref(t reflect.Type) reflect.Type {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	return t
}

// fieldFor returns the field of struct t that the TOML key decodes into, the way the TOML
// reader matches them: the toml tag, else the field name, ignoring case.
func fieldFor(t reflect.Type, key string) (reflect.StructField, bool) {
	var fold reflect.StructField
	found := false
	for _, f := range reflect.VisibleFields(t) {
		if !f.IsExported() || f.Anonymous {
			continue
		}
		name, _, _ := strings.Cut(f.Tag.Get("toml"), ",")
		if name == "-" {
			continue
		}
		if name == "" {
			name = f.Name
		}
		if name == key {
			return f, true
		}
		if !found && strings.EqualFold(name, key) {
			fold, found = f, true
		}
	}
	return fold, found
}

// findBadValues walks the table read from a file along struct type t and returns every value
// that cannot be decoded into its field, in key order. Keys t does not know are skipped: the
// unknown-key check reports them.
func findBadValues(table map[string]any, t reflect.Type, path []string) []badValue {
	t = deref(t)
	var out []badValue
	keys := make([]string, 0, len(table))
	for k := range table {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		val := table[k]
		f, ok := fieldFor(t, k)
		if !ok {
			continue
		}
		ft := deref(f.Type)
		p := append(slices.Clip(path), k)
		switch {
		case isTable(ft):
			if sub, ok := val.(map[string]any); ok {
				out = append(out, findBadValues(sub, ft, p)...)
			} else {
				out = append(out, badValue{p, val, f.Type})
			}
		case ft.Kind() == reflect.Slice && isTable(deref(ft.Elem())):
			var elems []map[string]any
			switch arr := val.(type) {
			case []map[string]any:
				elems = arr
			case []any:
				for _, e := range arr {
					if m, ok := e.(map[string]any); ok {
						elems = append(elems, m)
					}
				}
				if len(elems) != len(arr) {
					elems = nil
				}
			}
			if elems == nil {
				out = append(out, badValue{p, val, f.Type})
				continue
			}
			for i, e := range elems {
				out = append(out, findBadValues(e, ft.Elem(), append(slices.Clip(p), strconv.Itoa(i)))...)
			}
		default:
			if decodeAlone(val, f.Type) != nil {
				out = append(out, badValue{p, val, f.Type})
			}
		}
	}
	return out
}

// decodeAlone decodes one value into a fresh value of type t, as the TOML reader would.
func decodeAlone(val any, t reflect.Type) error {
	var buf bytes.Buffer
	if err := toml.NewEncoder(&buf).Encode(map[string]any{"v": val}); err != nil {
		return fmt.Errorf("encode value: %w", err)
	}
	holder := reflect.New(reflect.StructOf([]reflect.StructField{{Name: "V", Type: t, Tag: `toml:"v"`}}))
	if _, err := toml.Decode(buf.String(), holder.Interface()); err != nil {
		return fmt.Errorf("decode value: %w", err)
	}
	return nil
}

// deletePath removes the value at path (with array indexes) from table.
func deletePath(table map[string]any, path []string) {
	var cur any = table
	for _, part := range path[:len(path)-1] {
		switch c := cur.(type) {
		case map[string]any:
			cur = c[part]
		case []map[string]any:
			i, _ := strconv.Atoi(part)
			if i >= len(c) {
				return
			}
			cur = c[i]
		case []any:
			i, _ := strconv.Atoi(part)
			if i >= len(c) {
				return
			}
			cur = c[i]
		default:
			return
		}
	}
	if m, ok := cur.(map[string]any); ok {
		delete(m, path[len(path)-1])
	}
}

// redecode decodes table into v afresh, by way of its TOML text.
func redecode(table map[string]any, v any) (toml.MetaData, error) {
	var buf bytes.Buffer
	if err := toml.NewEncoder(&buf).Encode(table); err != nil {
		return toml.MetaData{}, fmt.Errorf("encode: %w", err)
	}
	rv := reflect.ValueOf(v).Elem()
	rv.Set(reflect.Zero(rv.Type()))
	md, err := toml.Decode(buf.String(), v)
	if err != nil {
		return md, fmt.Errorf("decode: %w", err)
	}
	return md, nil
}

// report tells the editor what is wrong with the value and how to write it.
func (b badValue) report(c *collector, file, src string, firstLine int, idx keyIndex) {
	path := strings.Join(b.path, ".")
	p, exact := idx[path]
	if !exact {
		p = idx.at(path, pos{firstLine, 1})
	}
	key := stripIndexes(path)
	if deref(b.field) == timeType {
		if exact {
			p.col = valueCol(lineOf(src, p.line-firstLine+1), p.col)
		}
		example := "2026-11-26"
		if s, ok := b.value.(string); ok {
			if iso, ok := danishDate(s); ok {
				example = iso
			}
		}
		c.add(file, p, "bad date: write dates as YYYY-MM-DD without quotes, e.g. %s = %s", b.path[len(b.path)-1], example)
		return
	}
	c.add(file, p, "wrong type: %q must be %v, not %v", key, describeType(b.field, b.path[len(b.path)-1]), describeValue(b.value))
}

// valueCol returns the column (in characters) where the value of the key at keyCol on line
// starts, after its opening quote; keyCol if there is no =.
func valueCol(line string, keyCol int) int {
	i := strings.Index(line, "=")
	if i < 0 {
		return keyCol
	}
	j := i + 1
	for j < len(line) && (line[j] == ' ' || line[j] == '\t') {
		j++
	}
	if j < len(line) && (line[j] == '"' || line[j] == '\'') {
		j++
	}
	return utf8.RuneCountInString(line[:j]) + 1
}

// describeType says in words how a value of Go type t is written in TOML.
func describeType(t reflect.Type, key string) message {
	t = deref(t)
	switch {
	case t == timeType:
		return msgf("a date without quotes, e.g. 2026-11-26")
	case isTable(t):
		return msgf("a table [%s]", key)
	case t.Kind() == reflect.Slice && isTable(deref(t.Elem())):
		return msgf("one or more tables [[%s]]", key)
	case t.Kind() == reflect.Slice || t.Kind() == reflect.Array:
		return msgf("a list in [ ], e.g. [\"a\", \"b\"]")
	case t.Kind() == reflect.String:
		return msgf("text in quotes")
	case t.Kind() == reflect.Bool:
		return msgf("true or false")
	case t.Kind() >= reflect.Int && t.Kind() <= reflect.Uint64:
		return msgf("a whole number")
	case t.Kind() == reflect.Float32 || t.Kind() == reflect.Float64:
		return msgf("a number")
	}
	return msgf("a value of Go type %s", t.String())
}

// describeValue says in words what kind of value the TOML reader read.
func describeValue(v any) message {
	switch v.(type) {
	case string:
		return msgf("text")
	case int64:
		return msgf("a whole number")
	case float64:
		return msgf("a decimal number")
	case bool:
		return msgf("true or false")
	case time.Time:
		return msgf("a date")
	case []map[string]any:
		return msgf("a list of tables")
	case []any:
		return msgf("a list")
	case map[string]any:
		return msgf("a table")
	}
	return msgf("a value of Go type %T", v)
}

// keyMixUps maps keys that editors write in Danish (folded: æ→ae, ø→oe, å→aa) to the keys
// they mean, most likely first; only a key valid at that place is suggested.
var keyMixUps = map[string][]string{
	"titel": {"title"}, "overskrift": {"title"},
	"kilde": {"sources", "source"}, "kilder": {"sources", "source"},
	"noegleord": {"keywords"}, "nogleord": {"keywords"}, "soegeord": {"keywords"}, "sogeord": {"keywords"},
	"emneord":    {"keywords"},
	"maalgruppe": {"audience"}, "malgruppe": {"audience"}, "maalgrupper": {"audience"},
	"resume": {"summary"}, "resumee": {"summary"}, "opsummering": {"summary"}, "sammendrag": {"summary"},
	"opdateret": {"reviewed"}, "revideret": {"reviewed"}, "gennemgaaet": {"reviewed"}, "gennemgaet": {"reviewed"},
	"tjekket": {"reviewed", "verified"}, "kontrolleret": {"reviewed", "verified"},
	"bekraeftet": {"verified"}, "verificeret": {"verified"},
	"spoergsmaal": {"questions"}, "sporgsmal": {"questions"},
	"relateret": {"related"}, "relaterede": {"related"},
	"del_af": {"part_of"}, "delaf": {"part_of"}, "partof": {"part_of"}, "hoerer_til": {"part_of"},
	"tjenester": {"services"}, "tilbud": {"services"}, "ydelser": {"services"},
	"navn": {"name"}, "tekst": {"text"}, "sprog": {"lang"}, "engelsk": {"en"},
	"telefon": {"phone"}, "tlf": {"phone"}, "telefonnummer": {"phone"},
	"adresse": {"address"}, "dato": {"date", "reviewed", "verified"},
	"link": {"url"}, "hjemmeside": {"url"}, "webadresse": {"url"},
	"byer": {"towns"}, "stavemaader": {"spellings"}, "ord": {"words"},
	"aliaser": {"aliases"}, "alias": {"aliases"}, "type": {"kind"}, "art": {"kind"},
}

// suggestKey returns the key the editor most likely meant by the unknown key (a dotted
// path without array indexes) in struct type t: a known Danish mix-up, else the closest key
// of that table within 2 edits (1 for keys of up to 4 letters). It returns the whole dotted
// path, or "" when nothing is close.
func suggestKey(t reflect.Type, key []string) string {
	if len(key) == 0 {
		return ""
	}
	parent, word := key[:len(key)-1], key[len(key)-1]
	st := deref(t)
	for _, part := range parent {
		if !isTable(st) {
			return ""
		}
		f, ok := fieldFor(st, part)
		if !ok {
			return ""
		}
		st = deref(f.Type)
		if st.Kind() == reflect.Slice {
			st = deref(st.Elem())
		}
	}
	if !isTable(st) {
		return ""
	}
	var known []string
	for _, f := range reflect.VisibleFields(st) {
		name, _, _ := strings.Cut(f.Tag.Get("toml"), ",")
		if f.IsExported() && !f.Anonymous && name != "-" && name != "" {
			known = append(known, name)
		}
	}
	join := func(k string) string { return strings.Join(append(slices.Clip(parent), k), ".") }
	folded := Fold(word)
	for _, k := range keyMixUps[folded] {
		if slices.Contains(known, k) {
			return join(k)
		}
	}
	best, bestD := "", 3
	for _, k := range known {
		limit := 2
		if utf8.RuneCountInString(k) <= 4 {
			limit = 1
		}
		if d := Distance(folded, k, limit); d <= limit && d < bestD {
			best, bestD = k, d
		}
	}
	if best == "" {
		return ""
	}
	return join(best)
}

func firstInvalid(s string) int {
	for i, r := range s {
		if r == utf8.RuneError {
			if _, size := utf8.DecodeRuneInString(s[i:]); size == 1 {
				return i
			}
		}
	}
	return len(s)
}
