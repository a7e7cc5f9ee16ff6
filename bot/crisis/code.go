package crisis

import (
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"io/fs"
	"runtime"
	"strings"
	"sync"

	"github.com/vejviser/vejviser/knowledge"
)

//go:embed *.go
var ownCode embed.FS

// CodeFingerprint returns a fingerprint of the code a classifier is trained by – this package's
// Go source and that of knowledge, which reads and normalises the examples, both compiled into
// the binary – and of the Go toolchain. A store of trained classifiers keyed by it and by the
// fingerprint of the data (bot's) never hands a classifier to code that would train another one,
// while a rebuild that leaves the trainer alone reads the stored one: keyed by the executable's
// hash, every `go run` after any change trained again for 30 s (130,880 examples, 2026-12-02).
// Test binaries share it the same way. It is computed once per process.
var CodeFingerprint = sync.OnceValue(func() string { return codeFingerprint(ownCode, knowledge.Code()) })

// codeFingerprint hashes the toolchain and the Go files of each fsys except tests, in order.
func codeFingerprint(fsyss ...fs.FS) string {
	h := sha256.New()
	h.Write([]byte(runtime.Version() + "\x00" + runtime.GOARCH + "\x00"))
	for i, fsys := range fsyss {
		names, err := fs.Glob(fsys, "*.go") // sorted
		if err != nil {
			return ""
		}
		for _, name := range names {
			if strings.HasSuffix(name, "_test.go") {
				continue
			}
			data, err := fs.ReadFile(fsys, name)
			if err != nil {
				return ""
			}
			h.Write([]byte{byte(i)})
			h.Write([]byte(name + "\x00"))
			h.Write(data)
			h.Write([]byte{0})
		}
	}
	return hex.EncodeToString(h.Sum(nil))
}
