package web

import (
	"context"
	"fmt"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

// findChromium returns a Chromium or Chrome binary, or "".
func findChromium() string {
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "headless-shell"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	return ""
}

// a11yCheck is run in the page: a subset of axe-core's rules that needs no download – the
// page has a language; every form control has a label; every button and link has a name;
// every image has alt text; ids are unique; headings do not skip a level; there is one main.
const a11yCheck = `(() => {
  const v = [];
  if (!document.documentElement.lang) v.push("html has no lang");
  for (const el of document.querySelectorAll("input:not([type=hidden]), select, textarea")) {
    const labelled = (el.id && document.querySelector('label[for="' + el.id + '"]')) || el.closest("label") || el.getAttribute("aria-label");
    if (!labelled) v.push("control without label: " + (el.name || el.id));
  }
  for (const el of document.querySelectorAll("button, a[href]")) {
    if (!(el.textContent.trim() || el.getAttribute("aria-label"))) v.push("no accessible name: " + el.outerHTML.slice(0, 60));
  }
  for (const el of document.querySelectorAll("img")) if (!el.hasAttribute("alt")) v.push("img without alt");
  const ids = {};
  for (const el of document.querySelectorAll("[id]")) { if (ids[el.id]) v.push("duplicate id " + el.id); ids[el.id] = true; }
  let last = 0;
  for (const h of document.querySelectorAll("h1, h2, h3, h4, h5, h6")) {
    const n = +h.tagName[1];
    if (last && n > last + 1) v.push("heading skips from h" + last + " to h" + n + ": " + h.textContent.trim().slice(0, 40));
    last = n;
  }
  if (document.querySelectorAll("main").length !== 1) v.push("not exactly one main");
  return v;
})()`

// TestPreviewInBrowser drives the preview in headless Chromium at phone and desktop sizes:
// after asking (with Enter), the answer – the crisis card first when there is one – is in the
// first screen and has focus, and the accessibility check finds nothing. Screenshots go to
// $VEJVISER_SCREENSHOTS (or a temporary folder). Without Chromium the test skips itself, unless
// VEJVISER_REQUIRE_BROWSER is set (CI installs Chromium and sets it).
func TestPreviewInBrowser(t *testing.T) {
	bin := findChromium()
	if bin == "" {
		if os.Getenv("VEJVISER_REQUIRE_BROWSER") != "" {
			t.Fatal("no Chromium found (chromium, chromium-browser, google-chrome), and VEJVISER_REQUIRE_BROWSER is set")
		}
		t.Skip("no Chromium found (install the chromium package to run the browser test)")
	}
	srv := httptest.NewServer(Handler(engine(t), Options{}))
	defer srv.Close()
	shots := os.Getenv("VEJVISER_SCREENSHOTS")
	if shots == "" {
		shots = t.TempDir()
	}
	if err := os.MkdirAll(shots, 0o755); err != nil {
		t.Fatal(err)
	}
	// Chromium leaves its singleton socket folder (org.chromium.Chromium.*) in TMPDIR when it is
	// stopped, one per browser: eight per run piled up in /tmp until TMPDIR was the test's own.
	opts := append(chromedp.DefaultExecAllocatorOptions[:], chromedp.ExecPath(bin), chromedp.NoSandbox, chromedp.Flag("disable-gpu", true),
		chromedp.Env("TMPDIR="+t.TempDir()))
	actx, cancel := chromedp.NewExecAllocator(context.Background(), opts...)
	defer cancel()

	sizes := []struct {
		name          string
		width, height int64
		mobile        bool
	}{{"phone", 390, 844, true}, {"desktop", 1280, 800, false}}
	questions := []struct {
		name, text, first string // first: the element that must be in the first screen
		lang              string
	}{
		{"ordinary", "hvad er FGU", "#answer-h", "da"},
		{"english", "what is FGU", "#answer-h", "en"},
		{"crisis", "jeg vil ikke leve mere", "#crisis-h", "da"},
		{"unanswered", "hvordan bager man en lagkage med jordbær", "#answer-h", "da"},
	}
	for _, size := range sizes {
		for _, q := range questions {
			t.Run(size.name+"/"+q.name, func(t *testing.T) {
				ctx, cancel := chromedp.NewContext(actx)
				defer cancel()
				ctx, cancel = context.WithTimeout(ctx, 30*time.Second)
				defer cancel()
				vp := []chromedp.EmulateViewportOption{chromedp.EmulateScale(1)}
				if size.mobile {
					vp = append(vp, chromedp.EmulateMobile, chromedp.EmulateTouch)
				}
				err := chromedp.Do(ctx,
					chromedp.EmulateViewport(size.width, size.height, vp...),
					chromedp.Navigate(srv.URL+"/"),
					chromedp.WaitVisible(chromedp.CSS("#q")),
					chromedp.SendKeys(chromedp.CSS("#q"), q.text+kb.Enter),
					chromedp.WaitVisible(chromedp.CSS(q.first)),
					chromedp.Sleep(200*time.Millisecond), // let the scroll to #answer settle
				)
				if err != nil {
					t.Fatal(err)
				}
				top := eval[float64](t, ctx, fmt.Sprintf(`document.querySelector(%q).getBoundingClientRect().top`, q.first))
				innerHeight := eval[float64](t, ctx, `window.innerHeight`)
				focused := eval[string](t, ctx, `document.activeElement ? document.activeElement.id : ""`)
				lang := eval[string](t, ctx, `document.documentElement.lang`)
				violations := eval[[]string](t, ctx, a11yCheck)
				png, err := chromedp.Run(ctx, chromedp.CaptureScreenshot()) // the first screen, as the person sees it
				if err != nil {
					t.Fatal(err)
				}
				name := filepath.Join(shots, size.name+"-"+q.name+".png")
				if err := os.WriteFile(name, png, 0o644); err != nil {
					t.Error(err)
				}
				t.Logf("screenshot: %s", name)
				if top < -2 || top >= innerHeight { // -2: sub-pixel rounding of the scroll
					t.Errorf("%s is at %.0f px; the first screen is 0–%.0f px", q.first, top, innerHeight)
				}
				if focused != "answer" {
					t.Errorf("focus is on %q; want the answer", focused)
				}
				if lang != q.lang {
					t.Errorf("page language %q; want %q", lang, q.lang)
				}
				if len(violations) > 0 {
					t.Errorf("accessibility: %s", strings.Join(violations, "; "))
				}
			})
		}
	}
}

// eval evaluates expr in the page and decodes its result as T.
func eval[T any](t *testing.T, ctx context.Context, expr string) T {
	t.Helper()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](expr))
	if err != nil {
		t.Fatalf("evaluate %.60s: %v", expr, err)
	}
	return v
}
