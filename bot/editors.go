package bot

import (
	"context"
	"errors"
	"fmt"

	"github.com/vejviser/vejviser/bot/insight"
	"github.com/vejviser/vejviser/knowledge"
)

// InsightStore keeps what the editors' loop needs: consented questions, counts of unanswered
// questions and feedback counts. bot/insight's Store satisfies it. Every error is logged and
// swallowed by the Engine: a broken store never stops an answer.
type InsightStore interface {
	// Keep stores a question the asker agreed to send to the editors and returns its id.
	Keep(text, lang, kommune, confidence string, entries []string) (string, error)
	// Unanswered counts one question without a sure answer, with the outside topic it was read
	// as ("" for none); nothing of its text is kept.
	Unanswered(lang, kommune, confidence, outside string) error
	// Feedback counts one "helped" or "did not help" for each entry.
	Feedback(entries []string, helped bool) error
	// Report returns what the editors see.
	Report() (insight.Report, error)
	// ClaimWeekly tells whether the weekly summary is due and marks it sent (once across
	// the processes sharing the store).
	ClaimWeekly() (bool, error)
}

// ErrNoInsight is returned when the editors' loop is switched off (no store configured).
var ErrNoInsight = errors.New("the editors' store is switched off")

// ErrNotForEditors is returned by KeepForEditors for a question the bot answered with
// confidence, a crisis message or small talk: only questions the bot could not answer are
// sent to the editors, and never a message in distress.
var ErrNotForEditors = errors.New("only questions the bot could not answer can be sent to the editors")

// offerToEditors tells whether an answer may offer "send the question to the editors": the bot
// was not sure, the message shows no crisis or distress (its text is for a counsellor, not an
// editor weeks later), and it was a question, not small talk.
func offerToEditors(a Answer, text string) bool {
	return !a.Answered && a.Tier == knowledge.TierNone && !a.Crisis &&
		len(knowledge.Words(text)) > 0 && !isSmallTalk(text)
}

// countUnanswered counts an answer without a sure answer in the store (no text).
func (e *Engine) countUnanswered(a Answer) {
	if e.opts.Insight == nil || !a.AskEditors {
		return
	}
	if err := e.opts.Insight.Unanswered(a.Language, a.Kommune, a.Confidence, a.outsideID); err != nil {
		e.opts.Logger.Warn("insight", "op", "count", "error", err)
	}
}

// KeepForEditors stores q for the editors after its asker said yes. It answers q again (not
// counted twice) and stores it only when that answer offers it (see Answer.AskEditors); the
// stored text is scrubbed by the store. It returns the stored question's id.
func (e *Engine) KeepForEditors(ctx context.Context, q Question) (string, error) {
	if e.opts.Insight == nil {
		return "", ErrNoInsight
	}
	a, err := e.answer(ctx, q, false)
	if err != nil {
		return "", err
	}
	if !a.AskEditors {
		return "", ErrNotForEditors
	}
	ids := make([]string, len(a.Entries))
	for i, en := range a.Entries {
		ids[i] = en.ID
	}
	id, err := e.opts.Insight.Keep(a.Question, a.Language, a.Kommune, a.Confidence, ids)
	if err != nil {
		e.opts.Logger.Warn("insight", "op", "keep", "error", err)
		return "", fmt.Errorf("keep for editors: %w", err)
	}
	e.opts.Logger.Info("insight", "op", "keep", "lang", a.Language, "confidence", a.Confidence)
	return id, nil
}

// Feedback records that an answer citing entries helped or did not. Unknown entry ids are
// dropped (a button may outlive an entry). With no store it does nothing.
func (e *Engine) Feedback(entries []string, helped bool) error {
	if e.opts.Insight == nil {
		return nil
	}
	base := e.Base()
	var known []string
	for _, id := range entries {
		if _, ok := base.Entry(id); ok {
			known = append(known, id)
		}
	}
	if len(known) == 0 {
		return nil
	}
	if err := e.opts.Insight.Feedback(known, helped); err != nil {
		e.opts.Logger.Warn("insight", "op", "feedback", "error", err)
		return fmt.Errorf("feedback: %w", err)
	}
	return nil
}

// InsightEnabled tells whether the editors' loop has a store, so front ends show the consent
// button only when pressing it can do something.
func (e *Engine) InsightEnabled() bool { return e.opts.Insight != nil }

// EditorReport is what `vejviser report` and Discord's /rapport show the editors.
type EditorReport struct {
	// Store is the insight store's part; StoreErr says why it is missing.
	Store    insight.Report
	StoreErr error
	// Due are the knowledge base's warnings: entries and services past their review date,
	// crisis lines with old evidence, amounts of a year that has ended.
	Due []knowledge.Problem
	// Version is the knowledge base's version.
	Version string
}

// EditorReport gathers the editors' report. A missing or broken store leaves StoreErr set and
// the rest of the report intact.
func (e *Engine) EditorReport() EditorReport {
	base := e.Base()
	r := EditorReport{Version: base.Version, Due: base.Warnings}
	if e.opts.Insight == nil {
		r.StoreErr = ErrNoInsight
		return r
	}
	r.Store, r.StoreErr = e.opts.Insight.Report()
	return r
}

// WeeklyReport returns the editors' report when the weekly summary is due (and marks it sent);
// false when it is not due, or there is no store.
func (e *Engine) WeeklyReport() (EditorReport, bool) {
	if e.opts.Insight == nil {
		return EditorReport{}, false
	}
	due, err := e.opts.Insight.ClaimWeekly()
	if err != nil {
		e.opts.Logger.Warn("insight", "op", "weekly", "error", err)
		return EditorReport{}, false
	}
	if !due {
		return EditorReport{}, false
	}
	return e.EditorReport(), true
}
