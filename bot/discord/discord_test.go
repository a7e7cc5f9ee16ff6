package discord

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"testing/fstest"
	"time"

	"github.com/bwmarrin/discordgo"

	"github.com/vejviser/vejviser/bot"
	"github.com/vejviser/vejviser/bot/discord/discordtest"
	"github.com/vejviser/vejviser/knowledge"
)

const (
	editorRole     = "333333333333333333"
	aarhusRole     = "444444444444444444"
	herningRoleNm  = "Bor i Herning"
	herningRoleID  = "555555555555555555"
	counsellorChan = "666666666666666666"
	editorChan     = "777777777777777777"
)

// Questions used in the session; none of them may appear in the logs.
const (
	qFGU       = "hvad er FGU?"
	qFGUen     = "what is FGU and who can attend?"
	qCrisis    = "jeg vil ikke leve mere"
	qCrisisDM  = "jeg har lyst til at dø nogle gange"
	qEveryone  = "@everyone <@&123456789> hvad er FGU?"
	qPanic     = "denne linje får motoren til at gå i panik"
	qSlow      = "langsomt spørgsmål om FGU"
	qNoAnswer  = "hvordan bager man en lagkage med jordbær"
	qDM        = "hvad er SU på en ungdomsuddannelse?"
	qRateLimit = "hvad er FGU for noget"
)

// TestSession drives one real discordgo session against the fake Discord through every
// feature. It shares the connection between subtests because each Close costs a second.
func TestSession(t *testing.T) {
	t.Parallel()
	eng, fsys := newReloadableEngine(t)
	te := &testEngine{Engine: eng, panicOn: qPanic, slowOn: "langsomt", delay: 1200 * time.Millisecond}
	var reloads sync.WaitGroup
	reloadFS := fsys
	var reloadMu sync.Mutex
	h := start(t, harnessOpts{
		cfg: Config{GuildIDs: []string{guildID}, EditorRole: editorRole, EditorChannel: editorChan,
			CounsellorChannel: counsellorChan, RatePerMinute: 5, MaxQuestionLen: 200,
			KommuneRoles: map[string]string{aarhusRole: "Aarhus", herningRoleNm: "Herning"}},
		engine: te,
		reload: func(ctx context.Context) (bot.ReloadReport, error) {
			reloads.Add(1)
			defer reloads.Done()
			reloadMu.Lock()
			f := reloadFS
			reloadMu.Unlock()
			return eng.Reload(ctx, f)
		},
	})
	h.fake.SetRoles(guildID, map[string]string{herningRoleID: herningRoleNm, aarhusRole: "Aarhus-rolle"})
	user := func(n int) string { return fmt.Sprintf("9%017d", n) }
	usersSeen := []string{}
	u := func(n int) string { id := user(n); usersSeen = append(usersSeen, id); return id }

	fgu, _ := eng.Answer(context.Background(), bot.Question{Text: qFGU, Kommune: "Aarhus"})
	if !fgu.Answered {
		t.Fatalf("engine does not answer %q; the test needs an answerable question", qFGU)
	}

	h.run(t, "registration", func(t *testing.T) {
		r, err := h.fake.WaitRequest(wait, func(r discordtest.Request) bool { return r.Method == "PUT" })
		if err != nil {
			t.Fatal(err)
		}
		if want := "/api/v9/applications/" + discordtest.AppID + "/guilds/" + guildID + "/commands"; r.Path != want {
			t.Errorf("registration path = %s; want %s", r.Path, want)
		}
		if r.Authorization != "Bot "+testToken {
			t.Errorf("Authorization header = %q; want the bot token with the Bot prefix", r.Authorization)
		}
		var cmds []struct {
			Name              string            `json:"name"`
			NameLocalizations map[string]string `json:"name_localizations"`
			DefaultMemberPerm *string           `json:"default_member_permissions"`
			Contexts          []int             `json:"contexts"`
			Options           []struct {
				Name         string            `json:"name"`
				Localized    map[string]string `json:"name_localizations"`
				Required     bool              `json:"required"`
				Autocomplete bool              `json:"autocomplete"`
				MaxLength    int               `json:"max_length"`
			} `json:"options"`
		}
		if err := r.Decode(&cmds); err != nil {
			t.Fatal(err)
		}
		got := map[string]string{}
		for _, c := range cmds {
			got[c.Name] = c.NameLocalizations["en-US"] + "/" + c.NameLocalizations["en-GB"]
			switch c.Name {
			case "spørg":
				if len(c.Options) != 2 || c.Options[0].Name != "spørgsmål" || !c.Options[0].Required ||
					c.Options[0].MaxLength != 200 || c.Options[0].Localized["en-US"] != "question" ||
					c.Options[1].Name != "kommune" || !c.Options[1].Autocomplete {
					t.Errorf("/spørg options = %+v", c.Options)
				}
			case "tilbud":
				if len(c.Options) != 2 || c.Options[0].Name != "emne" || !c.Options[0].Autocomplete || !c.Options[1].Autocomplete {
					t.Errorf("/tilbud options = %+v", c.Options)
				}
			case "genindlæs":
				if c.DefaultMemberPerm == nil || *c.DefaultMemberPerm != strconv.Itoa(discordgo.PermissionManageGuild) {
					t.Errorf("/genindlæs default_member_permissions = %v; want %d (hidden from non-editors)", c.DefaultMemberPerm, discordgo.PermissionManageGuild)
				}
				if !slices.Equal(c.Contexts, []int{0}) {
					t.Errorf("/genindlæs contexts = %v; want [0] (servers only)", c.Contexts)
				}
			}
		}
		want := map[string]string{"spørg": "ask/ask", "tilbud": "offer/offer", "genindlæs": "reindex/reindex", "om": "about/about", "rapport": "report/report",
			"Svar med Vejviser": "Answer with Vejviser/Answer with Vejviser"}
		if fmt.Sprint(got) != fmt.Sprint(want) {
			t.Errorf("commands = %v; want %v", got, want)
		}
		// IDENTIFY asks only for non-privileged message intents (no Message Content).
		fr, err := h.fake.WaitFrame(wait, 2)
		if err != nil {
			t.Fatal(err)
		}
		var id struct {
			Intents int `json:"intents"`
		}
		_ = json.Unmarshal(fr.D, &id)
		if id.Intents != int(discordgo.IntentsGuildMessages|discordgo.IntentsDirectMessages) ||
			id.Intents&int(discordgo.IntentsMessageContent) != 0 {
			t.Errorf("IDENTIFY intents = %d; want GuildMessages|DirectMessages without MessageContent", id.Intents)
		}
	})

	var privateFGU sentMessage
	h.run(t, "ask danish with kommune option", func(t *testing.T) {
		i := h.slash("spørg", u(1), "da", nil, opt("spørgsmål", qFGU), opt("kommune", "Aarhus"))
		m := h.reply(i)
		if m.Flags&64 == 0 {
			t.Fatalf("response flags %d; want the ephemeral flag", m.Flags)
		}
		privateFGU = m
		txt := m.text()
		contains(t, "answer", txt, fgu.Entries[0].Title, "[1] ", "Hjælp i Aarhus", "Del i kanalen", "Tal med en person",
			"Det hjalp", "Gennemgået "+fgu.Entries[0].Reviewed, "Kilder: [")
		if m.Embeds[0].Color != colorAnswer {
			t.Errorf("first embed colour = %x; want the answer colour", m.Embeds[0].Color)
		}
		ids, _ := m.buttons()
		if !slices.Contains(ids, idShare) || !slices.Contains(ids, personID("da", "Aarhus")) {
			t.Errorf("buttons = %v", ids)
		}
	})

	h.run(t, "ask english with kommune option", func(t *testing.T) {
		en, _ := eng.Answer(context.Background(), bot.Question{Text: qFGUen, Kommune: "Herning", Lang: "en"})
		i := h.slash("spørg", u(2), "en-US", nil, opt("spørgsmål", qFGUen), opt("kommune", "Herning"))
		m := h.reply(i)
		contains(t, "English answer", m.text(), "Help in Herning", "Share", "Talk to a person", "This helped", "Reviewed ", "Sources: ")
		if len(en.Entries) > 0 {
			contains(t, "English answer", m.text(), en.Entries[0].Title)
		}
		lacks(t, "English answer", m.text(), "Del i kanalen", "Kilder")
	})

	h.run(t, "kommune from member role id and role name", func(t *testing.T) {
		m := h.reply(h.slash("spørg", u(3), "da", []string{aarhusRole}, opt("spørgsmål", qFGU)))
		contains(t, "answer for an Aarhus member", m.text(), "Hjælp i Aarhus")
		m = h.reply(h.slash("spørg", u(3), "da", []string{herningRoleID}, opt("spørgsmål", qFGU)))
		contains(t, "answer for a member with the role named "+herningRoleNm, m.text(), "Hjælp i Herning")
	})

	h.run(t, "no answer is kind and offers people", func(t *testing.T) {
		m := h.reply(h.slash("spørg", u(4), "da", nil, opt("spørgsmål", qNoAnswer)))
		contains(t, "no-answer", m.text(), "Det har jeg ikke et godt svar på", "Hjælp i Region Midtjylland")
		if m.Embeds[0].Color != colorNone {
			t.Errorf("no-answer embed colour = %x", m.Embeds[0].Color)
		}
		for _, e := range m.Embeds {
			for _, f := range e.Fields {
				if strings.HasPrefix(f.Name, "[1]") {
					t.Errorf("no-answer cites an entry: %q", f.Name)
				}
			}
		}
	})

	h.run(t, "offer with autocomplete", func(t *testing.T) {
		ac := h.interact(map[string]any{"type": 4, "guild_id": guildID, "member": member(u(5)),
			"data": map[string]any{"id": "701", "name": "tilbud", "type": 1, "options": []any{
				map[string]any{"name": "emne", "type": 3, "value": "fgu", "focused": true}}}})
		c := h.callback(ac)
		if c.Type != 8 || len(c.Data.Choices) == 0 || len(c.Data.Choices) > 25 {
			t.Fatalf("autocomplete response type %d with %d choices", c.Type, len(c.Data.Choices))
		}
		found := false
		for _, ch := range c.Data.Choices {
			found = found || ch.Value == "fgu"
		}
		if !found {
			t.Errorf("autocomplete for %q lacks the entry fgu: %+v", "fgu", c.Data.Choices)
		}
		ac = h.interact(map[string]any{"type": 4, "guild_id": guildID, "member": member(u(5)),
			"data": map[string]any{"id": "701", "name": "tilbud", "type": 1, "options": []any{
				map[string]any{"name": "emne", "type": 3, "value": "fgu"},
				map[string]any{"name": "kommune", "type": 3, "value": "aar", "focused": true}}}})
		c = h.callback(ac)
		if len(c.Data.Choices) == 0 || c.Data.Choices[0].Value != "Aarhus" {
			t.Errorf("kommune autocomplete for %q = %+v; want Aarhus first", "aar", c.Data.Choices)
		}
		offer, _ := eng.Offer("fgu", "Aarhus", "da")
		m := h.reply(h.slash("tilbud", u(5), "da", nil, opt("emne", "fgu"), opt("kommune", "Aarhus")))
		if m.Flags&64 == 0 {
			t.Errorf("offer is not ephemeral")
		}
		contains(t, "offer card", m.text(), offer.Entries[0].Title, "Hjælp i Aarhus", "Del i kanalen")
		m = h.reply(h.slash("tilbud", u(5), "da", nil, opt("emne", "ingen-saadan-ting-xyz")))
		contains(t, "unknown topic", m.Content, "Det emne kender jeg ikke")
	})

	h.run(t, "share button posts the same answer publicly", func(t *testing.T) {
		msg := map[string]any{"id": "810000000000000001", "channel_id": channelID, "flags": 64, "type": 20,
			"embeds": privateFGU.Embeds, "components": privateFGU.Components}
		i := h.component(idShare, u(1), msg)
		c := h.callback(i)
		if c.Type != 7 {
			t.Fatalf("share response type %d; want 7 (the private answer updated: shared once)", c.Type)
		}
		if ids, _ := c.Data.buttons(); slices.Contains(ids, idShare) {
			t.Errorf("the share button is still on the private answer: %v", ids)
		}
		pub := h.followup(i)
		if pub.Flags&64 != 0 {
			t.Fatalf("shared post flags %d; want public", pub.Flags)
		}
		if len(pub.Embeds) != len(privateFGU.Embeds) || pub.Embeds[0].Title != privateFGU.Embeds[0].Title {
			t.Errorf("shared embeds differ from the private answer")
		}
		ids, _ := pub.buttons()
		if len(ids) < 2 || ids[0] != personID("da", "Aarhus") || !strings.HasPrefix(ids[1], idDelete) {
			t.Errorf("shared answer buttons = %v; want the person button and a delete button first", ids)
		}
	})

	h.run(t, "person button lists human services", func(t *testing.T) {
		c := h.callback(h.component(personID("da", "Aarhus"), u(1), map[string]any{"id": "810000000000000002", "channel_id": channelID}))
		if c.Data.Flags&64 == 0 {
			t.Errorf("person list is not ephemeral")
		}
		want := eng.HumanServices("Aarhus", "da")
		if len(want) == 0 {
			t.Fatal("engine has no human services for Aarhus")
		}
		contains(t, "person list", c.Data.text(), "Tal med en person", want[0].Name)
	})

	h.run(t, "feedback buttons are counted per entry without user id", func(t *testing.T) {
		yes := feedbackID(true, "da", fgu.Entries)
		c := h.callback(h.component(yes, u(1), map[string]any{"id": "810000000000000003", "channel_id": channelID,
			"flags": 64, "embeds": privateFGU.Embeds, "components": privateFGU.Components}))
		if c.Type != 7 {
			t.Errorf("feedback on a private answer: response type %d; want 7 (update message)", c.Type)
		}
		contains(t, "feedback ack", c.Data.Content, "Tak for din tilbagemelding")
		ids, _ := c.Data.buttons()
		for _, id := range ids {
			if strings.HasPrefix(id, idFeedback) {
				t.Errorf("feedback buttons still shown after feedback: %v", ids)
			}
		}
		no := feedbackID(false, "en", fgu.Entries[:1])
		c = h.callback(h.component(no, u(2), map[string]any{"id": "810000000000000004", "channel_id": channelID}))
		if c.Type != 4 || c.Data.Flags&64 == 0 {
			t.Errorf("feedback on a public answer: type %d flags %d; want a private type-4 thanks", c.Type, c.Data.Flags)
		}
		contains(t, "feedback ack", c.Data.Content, "Thank you for your feedback")
		fb := h.bot.Feedback()
		top := fgu.Entries[0].ID
		if fb[top] != (FeedbackCount{Helped: 1, NotHelped: 1}) {
			t.Errorf("Feedback()[%q] = %+v; want 1 helped, 1 not", top, fb[top])
		}
		m := h.reply(h.slash("om", u(6), "da", nil))
		contains(t, "/om", m.text(), "ikke", "rådgiver", "intet af det, du skriver", "Tilbagemeldinger")
		m = h.reply(h.slash("om", u(6), "en-GB", nil))
		contains(t, "/about", m.text(), "not", "counsellor", "nothing of what you write", "Version "+eng.About().Version)
	})

	h.run(t, "mention is answered as a reply", func(t *testing.T) {
		ch := "222222222222222223"
		ignored := []string{
			h.message(guildID, ch, u(7), "hvad er FGU?", false, nil),                                                                                   // no mention
			h.message(guildID, ch, u(7), "<@"+discordtest.BotUserID+"> FGU?", true, map[string]any{"author": map[string]any{"id": "42", "bot": true}}), // a bot
			h.message(guildID, ch, discordtest.BotUserID, "<@"+discordtest.BotUserID+"> FGU?", true, nil),                                              // itself
		}
		id := h.message(guildID, ch, u(7), "<@"+discordtest.BotUserID+"> "+qFGU, true,
			map[string]any{"member": map[string]any{"roles": []string{aarhusRole}}})
		m := h.posted(ch, replyTo(id))
		if m.Flags&64 != 0 {
			t.Errorf("a mention reply cannot be ephemeral")
		}
		contains(t, "mention reply", m.text(), fgu.Entries[0].Title, "Hjælp i Aarhus", "Tal med en person")
		lacks(t, "mention reply", m.text(), "Del i kanalen")
		for _, r := range h.fake.Requests() {
			var sm sentMessage
			if json.Unmarshal(r.Body, &sm) == nil && sm.MessageReference != nil && slices.Contains(ignored, sm.MessageReference.MessageID) {
				t.Errorf("the bot answered a message it must ignore (%s)", sm.MessageReference.MessageID)
			}
		}
	})

	h.run(t, "DM is answered", func(t *testing.T) {
		ch := "222222222222222224"
		id := h.message("", ch, u(8), qDM, false, nil)
		m := h.posted(ch, replyTo(id))
		if len(m.Embeds) == 0 {
			t.Errorf("DM answer has no embed: %+v", m)
		}
	})

	h.run(t, "crisis by slash command: private card first and a counsellor alert without text", func(t *testing.T) {
		card := eng.CrisisCardFor("da")
		m := h.reply(h.slash("spørg", u(9), "da", nil, opt("spørgsmål", qCrisis)))
		if m.Flags&64 == 0 {
			t.Fatal("crisis card is not private")
		}
		if len(m.Embeds) == 0 || m.Embeds[0].Title != card.Title || m.Embeds[0].Color != colorCrisis {
			t.Fatalf("first embed is not the crisis card: %+v", m.Embeds)
		}
		contains(t, "crisis card", m.text(), "112")
		if ids, _ := m.buttons(); len(ids) != 0 {
			t.Errorf("crisis answer has buttons %v; it must not be shareable", ids)
		}
		alert := h.posted(counsellorChan, func(m sentMessage) bool { return strings.Contains(m.Content, "/channels/"+guildID+"/"+channelID) })
		lacks(t, "counsellor alert", alert.text(), qCrisis, "leve")
	})

	h.run(t, "crisis by mention: card by DM, pointer without details, alert with link", func(t *testing.T) {
		ch := "222222222222222225"
		asker := u(10)
		id := h.message(guildID, ch, asker, "<@"+discordtest.BotUserID+"> "+qCrisis, true, nil)
		dm := h.posted("7"+asker, func(m sentMessage) bool { return len(m.Embeds) > 0 })
		if dm.Embeds[0].Color != colorCrisis {
			t.Errorf("DM does not start with the crisis card")
		}
		pointer := h.posted(ch, replyTo(id))
		contains(t, "public pointer", pointer.Content, "privat besked")
		if len(pointer.Embeds) != 0 {
			t.Errorf("public pointer has embeds; it must carry no details")
		}
		lacks(t, "public pointer", pointer.text(), "112", "Livslinien", qCrisis)
		alert := h.posted(counsellorChan, func(m sentMessage) bool { return strings.Contains(m.Content, "/"+ch+"/"+id) })
		contains(t, "alert", alert.Content, "https://discord.com/channels/"+guildID+"/"+ch+"/"+id)
		lacks(t, "alert", alert.text(), qCrisis, "leve")

		// When the DM cannot be delivered, the pointer says so and still carries no details.
		asker2 := u(11)
		h.fake.Fail("POST", "/channels/7"+asker2+"/messages", -1, 403, `{"message":"Cannot send messages to this user","code":50007}`)
		id = h.message(guildID, ch, asker2, "<@"+discordtest.BotUserID+"> "+qCrisis, true, nil)
		pointer = h.posted(ch, replyTo(id))
		contains(t, "pointer without DM", pointer.Content, "kan ikke sende dig en privat besked", "/spørg", "112")
		lacks(t, "pointer without DM", pointer.text(), qCrisis, "Livslinien")

		// In a DM the card comes at once.
		dmch := "222222222222222226"
		id = h.message("", dmch, u(12), qCrisisDM, false, nil)
		m := h.posted(dmch, replyTo(id))
		if len(m.Embeds) == 0 || m.Embeds[0].Color != colorCrisis {
			t.Errorf("DM crisis answer does not start with the card")
		}
	})

	h.run(t, "everyone in a question pings nobody", func(t *testing.T) {
		ch := "222222222222222227"
		id := h.message(guildID, ch, u(13), "<@"+discordtest.BotUserID+"> "+qEveryone, true, nil)
		m := h.posted(ch, replyTo(id))
		if m.AllowedMentions == nil || m.AllowedMentions.Parse == nil || len(m.AllowedMentions.Parse) != 0 {
			t.Errorf("allowed_mentions = %+v; want parse = []", m.AllowedMentions)
		}
		c := h.reply(h.slash("spørg", u(13), "da", nil, opt("spørgsmål", qEveryone)))
		if c.AllowedMentions == nil || c.AllowedMentions.Parse == nil || len(c.AllowedMentions.Parse) != 0 {
			t.Errorf("slash allowed_mentions = %+v; want parse = []", c.AllowedMentions)
		}
	})

	h.run(t, "too long", func(t *testing.T) {
		long := strings.Repeat("å", 201)
		m := h.reply(h.slash("spørg", u(14), "da", nil, opt("spørgsmål", long)))
		contains(t, "too-long reply", m.Content, "for langt", "200")
		ch := "222222222222222228"
		id := h.message("", ch, u(14), long, false, nil)
		contains(t, "too-long DM reply", h.posted(ch, replyTo(id)).Content, "for langt")
		// The length limit never hides a crisis: a long DM that ends in one gets the card.
		longCrisis := strings.Repeat("jeg har et spørgsmål om SU og praktik. ", 10) + "jeg vil ikke leve mere"
		id = h.message("", ch, u(14), longCrisis, false, nil)
		if m := h.posted(ch, replyTo(id)); len(m.Embeds) == 0 || m.Embeds[0].Color != colorCrisis {
			t.Errorf("a too-long DM with a crisis sentence got %q; want the crisis card", m.Content)
		}
	})

	h.run(t, "rate limit", func(t *testing.T) {
		asker := u(15)
		for n := 1; n <= 5; n++ {
			m := h.reply(h.slash("spørg", asker, "da", nil, opt("spørgsmål", qRateLimit)))
			if strings.Contains(m.Content, "mange spørgsmål") {
				t.Fatalf("question %d of 5 was refused", n)
			}
		}
		m := h.reply(h.slash("spørg", asker, "en-US", nil, opt("spørgsmål", qRateLimit)))
		contains(t, "6th question", m.Content, "mange spørgsmål")
		if m.Flags&64 == 0 {
			t.Errorf("rate-limit notice is not private")
		}
		// Another user is not affected.
		m = h.reply(h.slash("spørg", u(16), "da", nil, opt("spørgsmål", qRateLimit)))
		lacks(t, "other user's answer", m.Content, "mange spørgsmål")
	})

	h.run(t, "429 then success", func(t *testing.T) {
		h.fake.RateLimit("POST", "/callback", 1, 30*time.Millisecond)
		i := h.slash("spørg", u(17), "da", nil, opt("spørgsmål", qFGU))
		contains(t, "answer after 429", h.reply(i).text(), fgu.Entries[0].Title)
		var statuses []int
		for _, r := range h.fake.Requests() {
			if strings.Contains(r.Path, i.token) && strings.HasSuffix(r.Path, "/callback") {
				statuses = append(statuses, r.Status)
			}
		}
		if !slices.Equal(statuses, []int{429, 204}) {
			t.Errorf("callback statuses = %v; want [429 204]", statuses)
		}
	})

	h.run(t, "429 retries are bounded", func(t *testing.T) {
		ch := "222222222222222229"
		h.fake.RateLimit("POST", "/channels/"+ch+"/messages", 100, 5*time.Millisecond)
		h.message(guildID, ch, u(18), "<@"+discordtest.BotUserID+"> "+qFGU, true, nil)
		// The reply and the apology each try 1 + retries times, then give up.
		want := 2 * (h.bot.retries + 1)
		_, err := h.fake.WaitRequest(wait, func(discordtest.Request) bool { return countPath(h.fake, ch) >= want })
		if err != nil {
			t.Fatalf("attempts = %d; want %d", countPath(h.fake, ch), want)
		}
		time.Sleep(100 * time.Millisecond)
		if n := countPath(h.fake, ch); n != want {
			t.Errorf("attempts = %d; want exactly %d (bounded)", n, want)
		}
	})

	h.run(t, "slow answer is deferred then edited", func(t *testing.T) {
		i := h.slash("spørg", u(19), "da", nil, opt("spørgsmål", qSlow))
		c := h.callback(i)
		if c.Type != 5 || c.Data.Flags&64 == 0 {
			t.Fatalf("slow answer: response type %d flags %d; want 5 (deferred) with ephemeral", c.Type, c.Data.Flags)
		}
		m := h.edit(i)
		if len(m.Embeds) == 0 || m.AllowedMentions == nil || len(m.AllowedMentions.Parse) != 0 {
			t.Errorf("edit = %+v; want embeds and allowed_mentions.parse = []", m)
		}
	})

	h.run(t, "panic in a handler is recovered", func(t *testing.T) {
		m := h.reply(h.slash("spørg", u(20), "da", nil, opt("spørgsmål", qPanic)))
		contains(t, "apology", m.Content, "Beklager")
		if m.Flags&64 == 0 {
			t.Errorf("apology is not private")
		}
		ch := "222222222222222230"
		id := h.message(guildID, ch, u(20), "<@"+discordtest.BotUserID+"> "+qPanic, true, nil)
		contains(t, "apology", h.posted(ch, replyTo(id)).Content, "Beklager")
		// The next event is served.
		m = h.reply(h.slash("spørg", u(21), "da", nil, opt("spørgsmål", qFGU)))
		contains(t, "answer after panic", m.text(), fgu.Entries[0].Title)
		contains(t, "logs", h.logs.String(), `"error_class":"panic:runtime.`)
	})

	h.run(t, "reindex", func(t *testing.T) {
		// Not an editor.
		contains(t, "non-editor", h.edit(h.slash("genindlæs", u(22), "da", nil)).Content, "Kun redaktører")
		// Editor, while questions are being answered.
		var asks []ix
		re := h.slash("genindlæs", u(23), "da", []string{editorRole})
		for n := 0; n < 8; n++ {
			asks = append(asks, h.slash("spørg", u(30+n), "da", nil, opt("spørgsmål", qFGU)))
		}
		c := h.callback(re)
		if c.Type != 5 || c.Data.Flags&64 == 0 {
			t.Errorf("reindex: response type %d flags %d; want a private deferral", c.Type, c.Data.Flags)
		}
		rep := h.editAfterReload(re)
		contains(t, "reindex report", rep.Content, "Videnbasen er genindlæst", fmt.Sprintf("%d opslag", eng.About().Entries))
		for _, i := range asks {
			m := h.reply(i)
			contains(t, "answer during reindex", m.text(), fgu.Entries[0].Title)
		}
		// A broken knowledge folder: the errors with file:line, and the old base keeps answering.
		reloadMu.Lock()
		reloadFS = broken(t, fsys)
		reloadMu.Unlock()
		re = h.slash("genindlæs", u(23), "en-US", []string{editorRole})
		rep = h.editAfterReload(re)
		contains(t, "failed reindex report", rep.Content, "The reload failed", "entries/fgu.md:", "titel")
		m := h.reply(h.slash("spørg", u(24), "da", nil, opt("spørgsmål", qFGU)))
		contains(t, "answer after a failed reload", m.text(), fgu.Entries[0].Title)
		reloads.Wait()
	})

	h.run(t, "NotifyReload posts to the editors' channel", func(t *testing.T) {
		h.bot.NotifyReload(bot.ReloadReport{Version: "abc123", Entries: 34, Services: 118}, nil)
		h.posted(editorChan, func(m sentMessage) bool { return strings.Contains(m.Content, "34 opslag") })
		_, err := knowledge.Load(broken(t, fsys), time.Now())
		if err == nil {
			t.Fatal("broken knowledge loads")
		}
		h.bot.NotifyReload(bot.ReloadReport{}, err)
		m := h.posted(editorChan, func(m sentMessage) bool { return strings.Contains(m.Content, "fejlede") })
		contains(t, "reload failure report", m.Content, "entries/fgu.md:", "```")
	})

	// Every message, response, follow-up and edit the bot sent pings nobody.
	h.run(t, "allowed mentions on every payload", func(t *testing.T) {
		checked := 0
		for _, r := range h.fake.Requests() {
			var data json.RawMessage
			switch {
			case r.Method == "POST" && strings.HasSuffix(r.Path, "/callback"):
				var c struct {
					Type int             `json:"type"`
					Data json.RawMessage `json:"data"`
				}
				_ = json.Unmarshal(r.Body, &c)
				if c.Type == 8 { // autocomplete choices are not a message
					continue
				}
				data = c.Data
			case strings.Contains(r.Path, "/webhooks/") || (r.Method == "POST" && strings.HasSuffix(r.Path, "/messages")):
				data = r.Body
			default:
				continue
			}
			var am struct {
				AllowedMentions *struct {
					Parse []string `json:"parse"`
				} `json:"allowed_mentions"`
			}
			if err := json.Unmarshal(data, &am); err != nil || am.AllowedMentions == nil || am.AllowedMentions.Parse == nil ||
				len(am.AllowedMentions.Parse) != 0 {
				t.Errorf("%s: allowed_mentions missing or not empty: %s", r, data)
			}
			checked++
		}
		if checked < 40 {
			t.Errorf("checked only %d payloads", checked)
		}
	})

	// The logs of the whole session carry no question text, no user id and no token.
	h.run(t, "log hygiene", func(t *testing.T) {
		logs := h.logs.String()
		if !strings.Contains(logs, `"msg":"answer"`) {
			t.Fatalf("logs look empty:\n%s", logs)
		}
		forbidden := []string{testToken, qFGU, qFGUen, qCrisis, qCrisisDM, qEveryone, qPanic, qSlow, qNoAnswer, qDM, qRateLimit,
			"lagkage", "leve mere", "@everyone", "itok-"}
		forbidden = append(forbidden, usersSeen...)
		for _, f := range forbidden {
			if strings.Contains(logs, f) {
				t.Errorf("logs contain %q", f)
			}
		}
		if t.Failed() {
			t.Logf("logs:\n%s", logs)
		}
	})
}

func countPath(f *discordtest.Server, contains string) int {
	n := 0
	for _, r := range f.Requests() {
		if strings.Contains(r.Path, contains) {
			n++
		}
	}
	return n
}

// broken returns fsys with an unknown key in entries/fgu.md.
func broken(t *testing.T, fsys fs.FS) fs.FS {
	t.Helper()
	m := fstest.MapFS{}
	err := fs.WalkDir(fsys, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := fs.ReadFile(fsys, p)
		if err != nil {
			return err
		}
		if p == "entries/fgu.md" {
			data = []byte(strings.Replace(string(data), "+++\n", "+++\ntitel = \"FGU\"\n", 1))
		}
		m[p] = &fstest.MapFile{Data: data}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// TestResume drops the socket; the bot resumes the session and keeps answering.
func TestResume(t *testing.T) {
	t.Parallel()
	eng, _ := newEngine(t)
	h := start(t, harnessOpts{engine: eng})
	if m := h.reply(h.slash("om", "900000000000000099", "da", nil)); len(m.Embeds) == 0 {
		t.Fatal("no /om answer before the drop")
	}
	h.fake.DropConnection()
	if err := h.fake.WaitReady(wait, 2); err != nil {
		t.Fatalf("no RESUMED after the drop: %v\nlogs:\n%s", err, h.logs.String())
	}
	readies, resumes := h.fake.Counts()
	if readies != 1 || resumes != 1 {
		t.Errorf("READY %d, RESUMED %d; want 1 and 1 (a resume, not a new session)", readies, resumes)
	}
	fr, err := h.fake.WaitFrame(wait, 6)
	if err != nil {
		t.Fatal(err)
	}
	var res struct {
		Token     string `json:"token"`
		SessionID string `json:"session_id"`
		Seq       int    `json:"seq"`
	}
	_ = json.Unmarshal(fr.D, &res)
	if res.SessionID != discordtest.SessionID || res.Seq < 2 {
		t.Errorf("RESUME = session %q seq %d; want %q and the last sequence", res.SessionID, res.Seq, discordtest.SessionID)
	}
	if m := h.reply(h.slash("om", "900000000000000099", "da", nil)); len(m.Embeds) == 0 {
		t.Error("no /om answer after the resume")
	}
	// discordgo runs event handlers in their own goroutines, so the RESUMED handler may log
	// after the interaction above was answered: wait for the line rather than assume an order.
	poll(wait, 5*time.Millisecond, func() bool { return strings.Contains(h.logs.String(), `"kind":"resumed"`) })
	contains(t, "logs", h.logs.String(), "gateway disconnected; reconnecting", `"kind":"resumed"`)
	lacks(t, "logs", h.logs.String(), testToken)
}

// TestFatalClose: Discord closing with 4004 (or 4014) stops Run with one clear error, at once
// and after a resume attempt, without a reconnect loop.
func TestFatalClose(t *testing.T) {
	t.Parallel()
	eng, _ := newEngine(t)
	for _, code := range []int{4004, 4014} {
		t.Run(strconv.Itoa(code), func(t *testing.T) {
			t.Parallel()
			h := start(t, harnessOpts{engine: eng, noWait: true, beforeRun: func(f *discordtest.Server) { f.CloseAfterIdentify(code) }})
			var err error
			select {
			case err = <-h.done:
				h.done <- err // for the cleanup
			case <-time.After(wait):
				t.Fatalf("Run still running after close code %d", code)
			}
			var fe *FatalCloseError
			if !errors.As(err, &fe) || fe.Code != code {
				t.Fatalf("Run = %v; want a *FatalCloseError with code %d", err, code)
			}
			contains(t, "error", err.Error(), strconv.Itoa(code), "not reconnecting")
			if code == 4004 {
				contains(t, "error", err.Error(), "DISCORD_TOKEN")
			}
			lacks(t, "error", err.Error(), testToken)
			time.Sleep(50 * time.Millisecond)
			n := 0
			for _, fr := range h.fake.Frames() {
				if fr.Op == 2 {
					n++
				}
			}
			if n != 1 {
				t.Errorf("IDENTIFY sent %d times; want 1 (no reconnect loop)", n)
			}
		})
	}
	t.Run("after a resume attempt", func(t *testing.T) {
		t.Parallel()
		h := start(t, harnessOpts{engine: eng})
		h.fake.CloseAfterIdentify(4004)
		h.fake.DropConnection()
		select {
		case err := <-h.done:
			h.done <- err
			var fe *FatalCloseError
			if !errors.As(err, &fe) || fe.Code != 4004 {
				t.Fatalf("Run = %v; want a *FatalCloseError with code 4004", err)
			}
		case <-time.After(wait):
			t.Fatal("Run still running after 4004 on resume")
		}
	})
}

// TestShutdown: cancelling Run's context closes the connection and returns nil.
func TestShutdown(t *testing.T) {
	t.Parallel()
	eng, _ := newEngine(t)
	h := start(t, harnessOpts{engine: eng})
	h.cancel()
	select {
	case err := <-h.done:
		h.done <- err
		if err != nil {
			t.Errorf("Run after cancel = %v; want nil", err)
		}
	case <-time.After(wait):
		t.Fatal("Run did not return after cancel")
	}
	if h.bot.current() != nil {
		t.Error("bot still has a live session after Run returned")
	}
}

// TestFatalCloseMidSession: a 4004 on a live connection stops Run without a reconnect: no
// second IDENTIFY or RESUME is sent.
func TestFatalCloseMidSession(t *testing.T) {
	t.Parallel()
	eng, _ := newEngine(t)
	h := start(t, harnessOpts{engine: eng})
	h.fake.CloseNow(4004)
	select {
	case err := <-h.done:
		h.done <- err
		var fe *FatalCloseError
		if !errors.As(err, &fe) || fe.Code != 4004 {
			t.Fatalf("Run = %v; want a *FatalCloseError with code 4004", err)
		}
	case <-time.After(wait):
		t.Fatal("Run still running after a mid-session 4004")
	}
	n := 0
	for _, fr := range h.fake.Frames() {
		if fr.Op == 2 || fr.Op == 6 {
			n++
		}
	}
	if n != 1 {
		t.Errorf("IDENTIFY/RESUME sent %d times; want 1 (no reconnect after 4004)", n)
	}
}
