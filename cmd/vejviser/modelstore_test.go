package main

import (
	"path/filepath"
	"testing"
)

func TestCrisisStoreDir(t *testing.T) {
	tests := []struct {
		name string
		env  map[string]string
		want string
	}{
		{"nothing set: no store", map[string]string{}, ""},
		{"home", map[string]string{"HOME": "/home/u"}, filepath.Join("/home/u", ".cache", "vejviser")},
		{"xdg wins over home", map[string]string{"HOME": "/home/u", "XDG_CACHE_HOME": "/c"}, filepath.Join("/c", "vejviser")},
		{"own folder wins", map[string]string{"HOME": "/home/u", "XDG_CACHE_HOME": "/c", "VEJVISER_CACHE_DIR": "/v"}, "/v"},
		{"off", map[string]string{"HOME": "/home/u", "VEJVISER_CACHE_DIR": "off"}, ""},
	}
	for _, tt := range tests {
		got := crisisStoreDir(func(k string) string { return tt.env[k] })
		if got != tt.want {
			t.Errorf("%s: crisisStoreDir = %q; want %q", tt.name, got, tt.want)
		}
	}
}
