package knowledge

import (
	"embed"
	"io/fs"
)

//go:embed entries services crisis-examples asked *.toml crisis.model
var embedded embed.FS

// Embedded returns the knowledge base compiled into the binary: the files of this folder as
// they were when it was built.
func Embedded() fs.FS { return embedded }

//go:embed *.go
var code embed.FS

// Code returns this package's Go source as it was when the binary was built (its tests too),
// so that a fingerprint of the code that reads and normalises the crisis examples can be taken
// at run time (crisis.CodeFingerprint).
func Code() fs.FS { return code }
