package main

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"

	"github.com/BurntSushi/toml"

	"github.com/vejviser/vejviser/bot/discord"
	"github.com/vejviser/vejviser/knowledge"
)

// config is config.toml. Nothing secret lives here: the Discord token comes from
// DISCORD_TOKEN only.
type config struct {
	// Knowledge is an editor's knowledge folder; empty uses the base built into the binary.
	Knowledge string `toml:"knowledge"`
	// IndexDir holds on-disk index generations; empty keeps the index in memory.
	IndexDir string `toml:"index_dir"`
	// Insight switches the editors' loop (consented questions, counts, feedback) on or off;
	// nil means on.
	Insight *bool `toml:"insight"`
	// InsightDir is the editors' store folder; empty: beside the index (see insightDir).
	InsightDir string `toml:"insight_dir"`
	// Watch reloads the knowledge folder when its files change (only with Knowledge set).
	Watch *bool `toml:"watch"`
	// WatchInterval is how often the folder is checked for changes, e.g. "2s".
	WatchInterval string `toml:"watch_interval"`
	Preview       struct {
		Addr string `toml:"addr"`
	} `toml:"preview"`
	Discord discord.Config `toml:"discord"`

	dir string // folder of the config file, for relative paths
}

const defaultConfig = "config.toml"

// loadConfig reads the config file. An explicit path must exist; the default config.toml is
// optional. Unknown keys are errors, reported with file and line.
func loadConfig(path string, explicit bool) (*config, error) {
	cfg := &config{}
	data, err := os.ReadFile(path)
	if err != nil {
		if !explicit && errors.Is(err, fs.ErrNotExist) {
			return cfg, nil
		}
		return nil, fmt.Errorf("config: %w", err)
	}
	md, err := toml.Decode(string(data), cfg)
	if err != nil {
		var pe toml.ParseError
		if errors.As(err, &pe) {
			return nil, fmt.Errorf("config: %s:%d:%d: %s", path, pe.Position.Line, pe.Position.Col, pe.Message)
		}
		return nil, fmt.Errorf("config: %s: %w", path, err)
	}
	if und := md.Undecoded(); len(und) > 0 {
		var errs []error
		for _, k := range und {
			errs = append(errs, fmt.Errorf("config: %s:%d: unknown key %q", path, keyLineOf(string(data), k[len(k)-1]), k.String()))
		}
		return nil, errors.Join(errs...)
	}
	cfg.dir = filepath.Dir(path)
	return cfg, nil
}

// keyLineOf returns the first line of text where key is assigned ("key =" or a dotted key
// ending in it), or 0.
func keyLineOf(text, key string) int {
	re := regexp.MustCompile(`^\s*(?:[A-Za-z0-9_-]+\s*\.\s*)*` + regexp.QuoteMeta(key) + `\s*=`)
	for i, line := range strings.Split(text, "\n") {
		if re.MatchString(line) {
			return i + 1
		}
	}
	return 0
}

// resolve makes p relative to the config file's folder.
func (c *config) resolve(p string) string {
	if p == "" || filepath.IsAbs(p) || c.dir == "" {
		return p
	}
	return filepath.Join(c.dir, p)
}

// knowledgeFS returns the knowledge folder to use (the flag wins over the config) and a name
// for it.
func (c *config) knowledgeFS(flagDir string) (fs.FS, string) {
	dir := flagDir
	if dir == "" {
		dir = c.resolve(c.Knowledge)
	}
	if dir == "" {
		return knowledge.Embedded(), "embedded"
	}
	return os.DirFS(dir), dir
}

// insightDir is where the editors' store lives: insight_dir when set; otherwise a folder
// "insight" beside the index folder when index_dir is set; otherwise vejviser/insight in the
// user's configuration folder (~/.config on Linux), so a run from a fresh clone writes nothing
// into the repository. "" when the loop is switched off or no folder can be found.
func (c *config) insightDir() string {
	if c.Insight != nil && !*c.Insight {
		return ""
	}
	if c.InsightDir != "" {
		return c.resolve(c.InsightDir)
	}
	if c.IndexDir != "" {
		return filepath.Join(filepath.Dir(filepath.Clean(c.resolve(c.IndexDir))), "insight")
	}
	if d, err := os.UserConfigDir(); err == nil {
		return filepath.Join(d, "vejviser", "insight")
	}
	return ""
}
