package main

import (
	"encoding/json"
	"strings"
	"testing"
)

func TestCommandLine(t *testing.T) {
	tests := []struct {
		name    string
		args    []string
		wantErr string // "" for success
		wantOut string
	}{
		{"flag after the question", []string{"ask", "hvad er FGU?", "--json"}, "", `"question":"hvad er FGU?"`},
		{"flag between words", []string{"ask", "hvad", "--kommune", "Randers", "er", "FGU"}, "", "Randers"},
		{"-- keeps a flag-like word", []string{"ask", "--json", "--", "--json", "hvad er det"}, "", `"question":"--json hvad er det"`},
		{"empty question", []string{"ask", ""}, "the question is empty", ""},
		{"blank question", []string{"ask", "  "}, "the question is empty", ""},
		{"bad lang", []string{"ask", "--lang", "de", "hej"}, `--lang "de"`, ""},
		{"threshold over 1", []string{"eval", "--min-recall3", "1.5", "x.toml"}, "between 0 and 1", ""},
		{"threshold under 0", []string{"eval", "--max-false-alarm", "-0.1", "x.toml"}, "between 0 and 1", ""},
		{"missing folder", []string{"ask", "--knowledge", "/nonexistent-vv", "hvad er fgu"}, "knowledge folder /nonexistent-vv does not exist", ""},
		{"missing folder, check", []string{"check", "/nonexistent-vv"}, "does not exist", ""},
	}
	for _, tt := range tests {
		out, _, err := runCmd(t, "", tt.args...)
		switch {
		case tt.wantErr == "" && err != nil:
			t.Errorf("%s: %v", tt.name, err)
		case tt.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tt.wantErr)):
			t.Errorf("%s: err = %v; want %q", tt.name, err, tt.wantErr)
		case !strings.Contains(out, tt.wantOut):
			t.Errorf("%s: output lacks %q:\n%.300s", tt.name, tt.wantOut, out)
		}
	}
	out, _, _ := runCmd(t, "", "ask", "hvad", "--kommune", "Randers", "er", "FGU")
	if strings.Contains(out, "--kommune") || !strings.Contains(out, "Randers") {
		t.Errorf("a flag among the words was searched or ignored:\n%.300s", out)
	}
	jout, _, _ := runCmd(t, "", "ask", "hvad er FGU?", "--json")
	var a map[string]any
	if err := json.Unmarshal([]byte(jout), &a); err != nil {
		t.Errorf("--json after the question did not give JSON: %v", err)
	}
}

func TestHelpOnEverySubcommand(t *testing.T) {
	for _, sub := range []string{"ask", "check", "index", "eval", "report"} {
		_, errOut, err := runCmd(t, "", sub, "--help")
		if err != nil {
			t.Errorf("%s --help: %v; want exit 0", sub, err)
		}
		if !strings.Contains(errOut, "usage: vejviser "+sub) {
			t.Errorf("%s --help prints no usage line:\n%s", sub, errOut)
		}
	}
}
