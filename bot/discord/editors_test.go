package discord

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/vejviser/vejviser/bot"
	"github.com/vejviser/vejviser/bot/discord/discordtest"
	"github.com/vejviser/vejviser/bot/insight"
	"github.com/vejviser/vejviser/index"
	"github.com/vejviser/vejviser/knowledge"
)

// engineWithStore builds a real engine whose editors' loop keeps to a real store in a
// temporary folder.
func engineWithStore(t *testing.T) (*bot.Engine, *insight.Store) {
	t.Helper()
	store, err := insight.Open(t.TempDir(), nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { store.Close() })
	base, err := knowledge.Load(knowledgeFS(t), time.Now())
	if err != nil {
		t.Fatal(err)
	}
	ix, err := index.Build(context.Background(), base, index.Options{})
	if err != nil {
		t.Fatal(err)
	}
	e := bot.New(base, ix, bot.Options{Insight: store})
	t.Cleanup(func() { _ = e.Close() })
	return e, store
}

func storedTexts(t *testing.T, s *insight.Store) []string {
	t.Helper()
	r, err := s.Report()
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, g := range r.Groups {
		for _, q := range g.Questions {
			out = append(out, q.Text)
		}
	}
	slices.Sort(out)
	return out
}

func hasPrefix(ids []string, prefix string) bool {
	return slices.ContainsFunc(ids, func(id string) bool { return strings.HasPrefix(id, prefix) })
}

// TestEditorsLoop drives the editors' loop through Discord: the weekly summary (numbers, no
// text), the consent button only on unsure private answers, storing on press, feedback
// persisted, and /rapport for editors only.
func TestEditorsLoop(t *testing.T) {
	t.Parallel()
	eng, store := engineWithStore(t)
	const earlier = "hemmeligt spørgsmål om kørekort til traktor"
	if _, err := store.Keep(earlier, "da", "", "none", nil); err != nil {
		t.Fatal(err)
	}
	u := func(n int) string { return fmt.Sprintf("9%017d", n) }
	h := start(t, harnessOpts{
		cfg:    Config{GuildIDs: []string{guildID}, EditorRole: editorRole, EditorChannel: editorChan, RatePerMinute: 30, MaxQuestionLen: 300},
		engine: eng,
	})

	weekly := h.posted(editorChan, func(m sentMessage) bool { return strings.Contains(m.Content, "ugen til") })
	contains(t, "weekly summary", weekly.Content, "med samtykke, sidste 30 dage: 1 i 1 grupper", "/rapport")
	lacks(t, "weekly summary", weekly.Content, "traktor")

	const unsure = "hvordan bager man en lagkage med jordbær, skriv til mig på lagkage@example.com"
	priv := h.reply(h.slash("spørg", u(1), "da", nil, opt("spørgsmål", unsure)))
	ids, _ := priv.buttons()
	if !hasPrefix(ids, idEditors) {
		t.Fatalf("unsure private answer has no send-to-editors button: %v\n%s", ids, priv.text())
	}
	contains(t, "unsure answer", priv.text(), "Dit spørgsmål", "slettes efter 30 dage", "Send spørgsmålet anonymt til redaktionen")
	if got := storedTexts(t, store); len(got) != 1 {
		t.Fatalf("stored before consent: %q", got)
	}

	sure := h.reply(h.slash("spørg", u(2), "da", nil, opt("spørgsmål", "hvad er FGU?")))
	if ids, _ := sure.buttons(); hasPrefix(ids, idEditors) {
		t.Errorf("sure answer offers the send-to-editors button: %v", ids)
	}

	// Pressing the button: the question carried in the message is stored, scrubbed, and the
	// button is gone.
	var editorsButton string
	for _, id := range ids {
		if strings.HasPrefix(id, idEditors) {
			editorsButton = id
		}
	}
	msg := map[string]any{"id": "820000000000000001", "channel_id": channelID, "flags": 64, "type": 20,
		"embeds": priv.Embeds, "components": priv.Components}
	c := h.callback(h.component(editorsButton, u(1), msg))
	if c.Type != 7 {
		t.Fatalf("send-to-editors response type %d; want 7 (update the private message)", c.Type)
	}
	contains(t, "after consent", c.Data.Content, "sendt anonymt til redaktionen")
	if ids, _ := c.Data.buttons(); hasPrefix(ids, idEditors) {
		t.Errorf("button still shown after consent: %v", ids)
	}
	got := storedTexts(t, store)
	if len(got) != 2 || !strings.Contains(strings.Join(got, "|"), "lagkage med jordbær") || strings.Contains(strings.Join(got, "|"), "@example.com") {
		t.Errorf("stored after consent: %q; want the question with its e-mail scrubbed", got)
	}

	// Feedback is persisted in the store, without user ids.
	fgu, _ := eng.Answer(context.Background(), bot.Question{Text: "hvad er FGU?"})
	h.callback(h.component(feedbackID(false, "da", fgu.Entries[:1]), u(3), map[string]any{"id": "820000000000000002",
		"channel_id": channelID, "type": 0}))
	if err := h.fake.Wait(wait, func() bool {
		r, _ := store.Report()
		return len(r.Feedback) == 1 && r.Feedback[0].NotIt == 1 && r.Feedback[0].Entry == fgu.Entries[0].ID
	}); err != nil {
		r, _ := store.Report()
		t.Errorf("feedback not persisted: %+v", r.Feedback)
	}

	// A mention in a channel is public: no consent button (anyone could press it). A DM is
	// private: the button is there.
	mid := h.message(guildID, channelID, u(4), "<@"+discordtest.BotUserID+"> hvordan bager man en lagkage med jordbær", true, nil)
	pub := h.posted(channelID, replyTo(mid))
	if ids, _ := pub.buttons(); hasPrefix(ids, idEditors) {
		t.Errorf("public reply offers the send-to-editors button: %v", ids)
	}
	did := h.message("", "222222222222222299", u(5), "hvordan bager man en lagkage med jordbær", false, nil)
	dm := h.posted("222222222222222299", replyTo(did))
	if ids, _ := dm.buttons(); !hasPrefix(ids, idEditors) {
		t.Errorf("DM reply has no send-to-editors button: %v", ids)
	}

	// /rapport: refused to non-editors, private to editors, with the stored questions.
	contains(t, "non-editor", h.reply(h.slash("rapport", u(6), "da", nil)).Content, "Kun redaktører")
	rep := h.reply(h.slash("rapport", u(7), "da", []string{editorRole}))
	if rep.Flags&64 == 0 {
		t.Error("/rapport is not private")
	}
	contains(t, "/rapport", rep.text(), "Redaktørrapport", "lagkage med jordbær", "traktor", "hjalp ikke 1")
}
