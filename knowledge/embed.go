package knowledge

import (
	"embed"
	"io/fs"
)

//go:embed entries services crisis-examples *.toml
var embedded embed.FS

// Embedded returns the knowledge base compiled into the binary: the files of this folder as
// they were when it was built.
func Embedded() fs.FS { return embedded }
