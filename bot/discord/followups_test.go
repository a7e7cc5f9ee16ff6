package discord

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/vejviser/vejviser/bot"
	"github.com/vejviser/vejviser/bot/discord/discordtest"
)

// ephemeralOf turns a sent message back into the message object a component interaction
// carries, as Discord would send it.
func ephemeralOf(id string, m sentMessage) map[string]any {
	return map[string]any{"id": id, "channel_id": channelID, "flags": 64, "type": 20, "content": m.Content,
		"embeds": m.Embeds, "components": m.Components}
}

// contextMenu dispatches "Svar med Vejviser" on a message by author with content.
func (h *harness) contextMenu(user, targetID, author, content string) ix {
	h.t.Helper()
	return h.interact(map[string]any{"type": 2, "guild_id": guildID, "member": member(user),
		"data": map[string]any{"id": "701", "name": cmdAnswerFor, "type": 3, "target_id": targetID,
			"resolved": map[string]any{"messages": map[string]any{targetID: map[string]any{
				"id": targetID, "channel_id": channelID, "content": content, "type": 0,
				"author": map[string]any{"id": author, "username": "u" + author}}}}}})
}

func buttonWith(m sentMessage, prefix string) string {
	ids, _ := m.buttons()
	for _, id := range ids {
		if strings.HasPrefix(id, prefix) {
			return id
		}
	}
	return ""
}

// TestFollowUps drives the counsellors' context menu, "Læs mere", related entries, the kommune
// picker, sharing and deleting, feedback once per person, a role mention and a 403 – all with
// the real discordgo client against the fake Discord.
func TestFollowUps(t *testing.T) {
	t.Parallel()
	eng, _ := newEngine(t)
	h := start(t, harnessOpts{
		cfg:    Config{GuildIDs: []string{guildID}, CounsellorChannel: counsellorChan, RatePerMinute: 50, MaxQuestionLen: 300},
		engine: eng,
	})
	u := func(n int) string { return fmt.Sprintf("9%017d", n) }

	h.run(t, "answer with Vejviser: private first, then a reply", func(t *testing.T) {
		const target = "830000000000000001"
		m := h.reply(h.contextMenu(u(1), target, u(2), "hej alle, hvad er FGU egentlig?"))
		if m.Flags&64 == 0 {
			t.Fatalf("the counsellor's answer is not private")
		}
		contains(t, "context answer", m.text(), "FGU")
		btn := buttonWith(m, idReplyTo)
		if btn == "" {
			t.Fatalf("no reply button: %s", m.text())
		}
		c := h.callback(h.component(btn, u(1), ephemeralOf("830000000000000002", m)))
		if c.Type != 7 || buttonWith(c.Data, idReplyTo) != "" {
			t.Errorf("after replying: type %d, buttons %v; want the private answer updated without the button", c.Type, c.Data.Components)
		}
		posted := h.posted(channelID, replyTo(target))
		if len(posted.Embeds) == 0 || posted.Embeds[0].Title != m.Embeds[0].Title {
			t.Errorf("the reply is not the answer: %+v", posted.Embeds)
		}
	})

	h.run(t, "answer with Vejviser on a crisis: card privately, DM to the author, no public post", func(t *testing.T) {
		const target = "830000000000000003"
		m := h.reply(h.contextMenu(u(3), target, u(4), "jeg har taget alle mine piller og vil ikke vågne igen"))
		if m.Flags&64 == 0 {
			t.Fatalf("the crisis card is not private")
		}
		contains(t, "crisis card", m.text(), "112")
		btn := buttonWith(m, idDMCard)
		if !strings.HasSuffix(btn, u(4)) {
			t.Fatalf("no DM button for the author: %q", btn)
		}
		h.posted(counsellorChan, func(sm sentMessage) bool { return strings.Contains(sm.Content, target) })
		c := h.callback(h.component(btn, u(3), ephemeralOf("830000000000000004", m)))
		contains(t, "after DM", c.Data.Content, "sendt privat")
		dm := h.posted("7"+u(4), func(sentMessage) bool { return true })
		contains(t, "DM", dm.text(), "112")
		for _, r := range h.fake.Requests() {
			if r.Method == "POST" && r.Path == "/api/v9/channels/"+channelID+"/messages" && strings.Contains(string(r.Body), target) &&
				strings.Contains(string(r.Body), "112") {
				t.Error("the crisis card was posted in the channel")
			}
		}
	})

	h.run(t, "read more, related and the kommune picker", func(t *testing.T) {
		m := h.reply(h.slash("spørg", u(5), "da", nil, opt("spørgsmål", "hvad er FGU")))
		more := buttonWith(m, idMore)
		if more != idMore+"da|fgu" {
			t.Fatalf("read-more button %q", more)
		}
		d, _ := eng.Entry("fgu", "da")
		full := h.reply(h.component(more, u(5), ephemeralOf("830000000000000005", m)))
		if full.Flags&64 == 0 {
			t.Error("read more is not private")
		}
		contains(t, "read more", full.text(), "**Sådan er FGU bygget op**", d.Sources[0].URL)
		rel := buttonWith(m, idRelated)
		if rel == "" {
			t.Fatalf("no related-entry button: %v", m.Components)
		}
		card := h.reply(h.component(rel, u(5), ephemeralOf("830000000000000006", m)))
		relID := rel[strings.LastIndex(rel, "|")+1:]
		relEntry, _ := eng.Entry(relID, "da")
		contains(t, "related card", card.text(), relEntry.Title)

		var picker struct {
			Components []struct {
				Type     int    `json:"type"`
				CustomID string `json:"custom_id"`
			} `json:"components"`
		}
		found := false
		for _, raw := range m.Components {
			_ = json.Unmarshal(raw, &picker)
			if len(picker.Components) == 1 && picker.Components[0].Type == 3 {
				found = picker.Components[0].CustomID == idKommune+"da|fgu"
			}
		}
		if !found {
			t.Fatalf("no kommune picker on an answer without a kommune")
		}
		i := h.interact(map[string]any{"type": 3, "guild_id": guildID, "member": member(u(5)),
			"message": ephemeralOf("830000000000000007", m),
			"data":    map[string]any{"custom_id": idKommune + "da|fgu", "component_type": 3, "values": []string{"Randers"}}})
		c := h.callback(i)
		if c.Type != 7 {
			t.Fatalf("kommune picked: type %d; want 7 (the private answer redrawn)", c.Type)
		}
		contains(t, "redrawn services", c.Data.text(), "Hjælp i Randers")
	})

	h.run(t, "sharing: once, only where the member may post, deleted only by the sharer", func(t *testing.T) {
		m := h.reply(h.slash("spørg", u(6), "da", nil, opt("spørgsmål", "hvad er FGU")))
		if buttonWith(m, idShare) == "" {
			t.Fatal("no share button on a private answer in a server")
		}
		// Without Send Messages in the channel: refused, kindly, privately.
		noPerm := member(u(6))
		noPerm["permissions"] = "1024"
		c := h.callback(h.interact(map[string]any{"type": 3, "guild_id": guildID, "member": noPerm,
			"message": ephemeralOf("830000000000000008", m), "data": map[string]any{"custom_id": idShare, "component_type": 2}}))
		if c.Data.Flags&64 == 0 || !strings.Contains(c.Data.Content, "kan ikke skrive i denne kanal") {
			t.Errorf("share without permission: %+v", c.Data)
		}
		i := h.component(idShare, u(6), ephemeralOf("830000000000000009", m))
		h.callback(i)
		pub := h.followup(i)
		del := buttonWith(pub, idDelete)
		if del == "" {
			t.Fatalf("shared post has no delete button: %v", pub.Components)
		}
		shared := map[string]any{"id": "830000000000000010", "channel_id": channelID, "type": 0, "embeds": pub.Embeds, "components": pub.Components}
		c = h.callback(h.component(del, u(7), shared))
		contains(t, "delete by another", c.Data.Content, "Kun den, der delte svaret")
		c = h.callback(h.component(del, u(6), shared))
		contains(t, "delete by the sharer", c.Data.Content, "slettet")
		if _, err := h.fake.WaitRequest(wait, func(r discordtest.Request) bool {
			return r.Method == "DELETE" && r.Path == "/api/v9/channels/"+channelID+"/messages/830000000000000010"
		}); err != nil {
			t.Errorf("the shared post was not deleted: %v", err)
		}
		// In a DM there is nothing to share: no button.
		dm := h.reply(h.interact(map[string]any{"type": 2, "user": map[string]any{"id": u(8), "username": "x"}, "channel_id": "222222222222222290",
			"data": map[string]any{"id": "700", "name": "spørg", "type": 1, "options": []any{opt("spørgsmål", "hvad er FGU")}}}))
		if buttonWith(dm, idShare) != "" {
			t.Error("a private answer in a DM offers sharing")
		}
	})

	h.run(t, "feedback counts once per person per answer", func(t *testing.T) {
		fgu, _ := eng.Answer(context.Background(), bot.Question{Text: "hvad er kui"})
		id := feedbackID(true, "da", fgu.Entries[:1])
		msg := map[string]any{"id": "830000000000000011", "channel_id": channelID, "type": 0}
		before := h.bot.Feedback()[fgu.Entries[0].ID].Helped
		h.callback(h.component(id, u(9), msg))
		c := h.callback(h.component(id, u(9), msg))
		contains(t, "second vote", c.Data.Content, "allerede givet feedback")
		h.callback(h.component(id, u(10), msg))
		if got := h.bot.Feedback()[fgu.Entries[0].ID].Helped - before; got != 2 {
			t.Errorf("counted %d votes from two people (one voting twice); want 2", got)
		}
	})

	h.run(t, "a mention of the bot's own role is a mention of the bot", func(t *testing.T) {
		const role = "555555555555555555"
		h.fake.SetRolesManaged(guildID, map[string]string{role: "Vejviser"}, map[string]bool{role: true})
		id := h.message(guildID, channelID, u(11), "<@&"+role+"> hvad er FGU", false, map[string]any{"mention_roles": []string{role}})
		m := h.posted(channelID, replyTo(id))
		contains(t, "role-mention answer", m.text(), "FGU")
	})

	h.run(t, "no permission to reply: the answer goes by DM, no apology in the channel", func(t *testing.T) {
		const ch = "222222222222222291"
		h.fake.Fail("POST", "/channels/"+ch+"/messages", 1, 403, `{"message": "Missing Permissions", "code": 50013}`)
		h.message(guildID, ch, u(12), "<@"+discordtest.BotUserID+"> hvad er FGU", true, nil)
		dm := h.posted("7"+u(12), func(sentMessage) bool { return true })
		contains(t, "DM after 403", dm.text(), "Jeg må ikke skrive i den kanal", "FGU")
		n := 0
		for _, r := range h.fake.Requests() {
			if r.Method == "POST" && r.Path == "/api/v9/channels/"+ch+"/messages" {
				n++
			}
		}
		if n != 1 {
			t.Errorf("%d posts to the forbidden channel; want 1 (no retry, no apology)", n)
		}
		contains(t, "log", h.logs.String(), `"channel":"`+ch+`"`)
	})
}

// TestCitationsStayWhole: a long answer with many long sources is cut in its excerpt and by
// whole sources ("+N kilder"), never inside a link, and keeps its reviewed date.
func TestCitationsStayWhole(t *testing.T) {
	var sources []bot.SourceRef
	for i := range 12 {
		sources = append(sources, bot.SourceRef{Title: strings.Repeat("Meget lang kildetitel ", 3) + fmt.Sprint(i),
			URL: fmt.Sprintf("https://example.dk/%s/%d", strings.Repeat("sti/", 10), i), Evidence: "2024"})
	}
	var entries []bot.EntryRef
	for i := range 3 {
		entries = append(entries, bot.EntryRef{ID: fmt.Sprint("e", i), Title: "Titel", Excerpt: strings.Repeat("Et langt uddrag. ", 60),
			Sources: sources, Reviewed: "2026-11-30", URL: sources[0].URL})
	}
	a := bot.Answer{Language: "da", Answered: true, Reply: strings.Repeat("Svar. ", 300), Entries: entries}
	r := renderAnswer(a, surfacePrivate)
	total := 0
	for _, e := range r.embeds {
		total += embedSize(e)
		for _, f := range e.Fields {
			if !strings.HasPrefix(f.Name, "[") {
				continue
			}
			if ulen(f.Value) > limitFieldValue {
				t.Errorf("field %q is %d long", f.Name, ulen(f.Value))
			}
			if strings.Count(f.Value, "](https://") != strings.Count(f.Value, "/sti/sti/sti/sti/sti/sti/sti/sti/sti/sti/") {
				t.Errorf("a link was cut in %q", f.Value)
			}
			if !strings.Contains(f.Value, "Gennemgået 2026-11-30") || !strings.Contains(f.Value, "kilder") {
				t.Errorf("field lost its reviewed date or its +N: %q", f.Value)
			}
			lines := strings.Split(f.Value, "\n")
			for _, l := range lines[1:] {
				if strings.HasSuffix(l, "…") {
					t.Errorf("a citation line was clipped: %q", l)
				}
			}
		}
	}
	if total > limitEmbedsTotal {
		t.Errorf("embeds total %d > %d", total, limitEmbedsTotal)
	}
}
