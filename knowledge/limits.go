package knowledge

import (
	"bytes"
	"io"
	"io/fs"
)

// MaxLineBytes is the longest line a knowledge file may have. The longest line in the
// knowledge base of 2026-11-30 has 3,012 characters (a long crisis example); 16 KiB leaves room
// for any text an editor writes and refuses the single-line files that make a TOML decoder
// work hard (issue 10: a 40 KB line nested 8,000 deep took 2.7 GB).
const MaxLineBytes = 16 << 10

// MaxFolderBytes bounds the knowledge files Load reads in all: 64 MiB. It was 32 MiB, about 24
// times the 1.36 MB of the knowledge base of 2026-11-30; the crisis examples grew past it on
// 2026-12-03 (34 MB of knowledge files, 33 MB of them some 150,000 labelled messages the
// classifier learns from), and the examples only grow, so the bound doubled. With MaxFileSize per file it
// bounds what one load can read, whatever the folder holds.
const MaxFolderBytes = 64 << 20

// MaxNesting is the deepest nesting of arrays and inline tables in a TOML text. The editors'
// files nest at most 3 deep (a table in an array in a table); memory in the TOML decoder grows
// with the square of the depth, so anything deeper is refused before decoding.
const MaxNesting = 16

// copyBounded copies a regular file of at most limit bytes from fsys to w and returns how many
// bytes it copied. A FIFO, device, socket or folder is refused without being opened (opening a
// FIFO blocks until someone writes to it), and the size is checked before reading, so no file
// can cost more than limit. A w that can Grow (a bytes.Buffer) is grown to the file's size
// first.
func copyBounded(w io.Writer, fsys fs.FS, name string, limit int64) (int64, error) {
	info, err := fs.Stat(fsys, name)
	if err != nil {
		return 0, err
	}
	if !info.Mode().IsRegular() {
		return 0, msgf("it is not a regular file (%s)", info.Mode().Type().String())
	}
	if info.Size() > limit {
		return 0, msgf("the file is %d bytes; the limit is %d", info.Size(), limit)
	}
	f, err := fsys.Open(name)
	if err != nil {
		return 0, err
	}
	defer f.Close()
	// Sized from the start: io.ReadAll grows its buffer step by step, and copying the crisis
	// examples (tens of MB) as it grew was a third of start-up (0.37 of 1.1 s in
	// BenchmarkStartup's profile, 2026-12-04). MinRead spare keeps ReadFrom from growing it
	// once more to see the end.
	if g, ok := w.(interface{ Grow(int) }); ok {
		g.Grow(int(info.Size()) + bytes.MinRead)
	}
	n, err := io.Copy(w, io.LimitReader(f, limit+1))
	if err == nil && n > limit {
		err = msgf("the file is over %d bytes; the limit is %d", n-1, limit)
	}
	return n, err
}

// readBounded reads a regular file of at most limit bytes from fsys, as copyBounded copies it.
func readBounded(fsys fs.FS, name string, limit int64) ([]byte, error) {
	var buf bytes.Buffer
	if _, err := copyBounded(&buf, fsys, name, limit); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// checkStructure reports the first line longer than MaxLineBytes, or the first place where
// arrays and inline tables nest deeper than MaxNesting, in a TOML text whose first line is
// line firstLine of its file. It reads strings and comments as TOML does, so brackets inside
// them do not count.
func checkStructure(src string, firstLine int) (line int, problem message) {
	line, lineStart, depth := firstLine, 0, 0
	for i := 0; i < len(src); i++ {
		c := src[i]
		switch {
		case c == '\n':
			if i-lineStart > MaxLineBytes {
				return line, msgf("line %d is %d bytes long; the limit is %d", line, i-lineStart, MaxLineBytes)
			}
			line++
			lineStart = i + 1
		case c == '#':
			for i+1 < len(src) && src[i+1] != '\n' {
				i++
			}
		case c == '"' || c == '\'':
			quote := string(c)
			if i+2 < len(src) && src[i+1] == c && src[i+2] == c {
				quote = string([]byte{c, c, c})
			}
			end := indexFrom(src, i+len(quote), quote, c == '"')
			if end < 0 {
				return 0, message{} // an unclosed string: the decoder reports it
			}
			for _, ch := range src[i:end] {
				if ch == '\n' {
					line++
				}
			}
			if j := lastNewline(src[:end]); j >= lineStart {
				lineStart = j + 1
			}
			i = end + len(quote) - 1
		case c == '[' || c == '{':
			depth++
			if depth > MaxNesting {
				return line, msgf("arrays and inline tables nest more than %d deep", MaxNesting)
			}
		case c == ']' || c == '}':
			if depth > 0 {
				depth--
			}
		}
	}
	if len(src)-lineStart > MaxLineBytes {
		return line, msgf("line %d is %d bytes long; the limit is %d", line, len(src)-lineStart, MaxLineBytes)
	}
	return 0, message{}
}

// indexFrom returns the index of the closing quote of a string that opened before from, or -1.
// In basic strings (escapes true) a backslash escapes the next byte.
func indexFrom(src string, from int, quote string, escapes bool) int {
	for i := from; i+len(quote) <= len(src); i++ {
		if escapes && src[i] == '\\' {
			i++
			continue
		}
		if src[i:i+len(quote)] == quote {
			return i
		}
		if len(quote) == 1 && src[i] == '\n' {
			return -1
		}
	}
	return -1
}

func lastNewline(s string) int {
	for i := len(s) - 1; i >= 0; i-- {
		if s[i] == '\n' {
			return i
		}
	}
	return -1
}
