package main

import (
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/vejviser/vejviser/bot/insight"
)

// writeConfig writes a config.toml into a temporary folder and returns its path.
func writeConfig(t *testing.T, body string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "config.toml")
	if err := os.WriteFile(p, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestReport(t *testing.T) {
	cfg := writeConfig(t, "insight_dir = \"store\"\n")
	store, err := insight.Open(filepath.Join(filepath.Dir(cfg), "store"), nil)
	if err != nil {
		t.Fatal(err)
	}
	id, err := store.Keep("kan man få tilskud til en traktor", "da", "Herning", "none", nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := store.Keep("how do I get a tractor licence", "en", "", "none", nil); err != nil {
		t.Fatal(err)
	}
	if err := store.Feedback([]string{"fgu"}, false); err != nil {
		t.Fatal(err)
	}

	out, _, err := runCmd(t, "", "report", "--config", cfg)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"Redaktørrapport", "2 i 2 grupper", "kan man få tilskud til en traktor", "id " + id,
		"fgu: hjalp 0, hjalp ikke 1", "Forfaldne og gamle oplysninger"} {
		if !strings.Contains(out, want) {
			t.Errorf("report lacks %q:\n%s", want, out)
		}
	}
	out, _, _ = runCmd(t, "", "report", "--config", cfg, "--lang", "en")
	if !strings.Contains(out, "Editors' report") || !strings.Contains(out, "did not help 1") {
		t.Errorf("English report:\n%s", out)
	}
	if _, _, err := runCmd(t, "", "report", "--config", cfg, "--lang", "de"); err == nil {
		t.Error("--lang de: no error")
	}

	out, _, err = runCmd(t, "", "report", "--config", cfg, "--delete", id)
	if err != nil || !strings.Contains(out, "deleted question "+id) {
		t.Errorf("--delete: %q, %v", out, err)
	}
	if _, _, err := runCmd(t, "", "report", "--config", cfg, "--delete", id); err == nil || !strings.Contains(err.Error(), "no such question") {
		t.Errorf("--delete twice: %v", err)
	}
	out, _, err = runCmd(t, "", "report", "--config", cfg, "--purge")
	if err != nil || !strings.Contains(out, "deleted 1 stored questions") {
		t.Errorf("--purge: %q, %v", out, err)
	}
	out, _, _ = runCmd(t, "", "report", "--config", cfg)
	if strings.Contains(out, "traktor") || strings.Contains(out, "tractor") {
		t.Errorf("questions left after --purge:\n%s", out)
	}
}

func TestReportStoreOff(t *testing.T) {
	cfg := writeConfig(t, "insight = false\n")
	out, _, err := runCmd(t, "", "report", "--config", cfg)
	if err != nil || !strings.Contains(out, "slået fra") {
		t.Errorf("report with the store off: %q, %v", out, err)
	}
	if _, _, err := runCmd(t, "", "report", "--config", cfg, "--purge"); err == nil {
		t.Error("--purge with the store off: no error")
	}
}

func TestInsightDir(t *testing.T) {
	off := false
	tests := []struct {
		name string
		cfg  config
		want string
	}{
		{"explicit", config{InsightDir: "s", dir: "/etc/vv"}, "/etc/vv/s"},
		{"beside the index", config{IndexDir: "data/index", dir: "/srv"}, "/srv/data/insight"},
		{"switched off", config{Insight: &off, InsightDir: "s"}, ""},
	}
	for _, tt := range tests {
		if got := tt.cfg.insightDir(); got != tt.want {
			t.Errorf("%s: insightDir() = %q, want %q", tt.name, got, tt.want)
		}
	}
	if d, err := os.UserConfigDir(); err == nil {
		if got, want := (&config{}).insightDir(), filepath.Join(d, "vejviser", "insight"); got != want {
			t.Errorf("default insightDir() = %q, want %q", got, want)
		}
	}
}

// TestDamagedStoreDoesNotStopTheBot opens a store whose database is garbage: the bot starts
// without the editors' loop and says so.
func TestDamagedStoreDoesNotStopTheBot(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, insight.FileName), []byte("garbage, not a database"), 0o600); err != nil {
		t.Fatal(err)
	}
	var w strings.Builder
	s := openInsight(&config{InsightDir: dir}, slog.New(slog.NewTextHandler(io.Discard, nil)), &w)
	if s != nil {
		t.Error("a damaged store was opened")
	}
	if !strings.Contains(w.String(), "answering without it") {
		t.Errorf("no warning: %q", w.String())
	}
}

// chdirTemp makes an empty temporary folder the working directory, with a config.toml that
// keeps the editors' store there too, so a test of the main job never writes to the user's
// configuration folder.
func chdirTemp(t *testing.T) {
	t.Helper()
	t.Chdir(t.TempDir())
	if err := os.WriteFile(defaultConfig, []byte("insight_dir = \"insight\"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
}
