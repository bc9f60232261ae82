package core

import (
	"context"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/liftoff-chat/liftoff/internal/chat"
)

// scanMentions finds @user and #channel tokens in message text. A token
// starts after the start of text, a space or '>' and runs over letters,
// digits and . _ - (Rocket.Chat's mention grammar), with a trailing dot or
// dash trimmed.
func scanMentions(text string) (users, channels []string) {
	seenU, seenC := map[string]bool{}, map[string]bool{}
	prev := ' '
	for i := 0; i < len(text); {
		c, size := utf8.DecodeRuneInString(text[i:])
		if (c == '@' || c == '#') && (prev == ' ' || prev == '\n' || prev == '\t' || prev == '>' || i == 0) {
			j := i + size
			for j < len(text) {
				r, n := utf8.DecodeRuneInString(text[j:])
				if !(unicode.IsLetter(r) || unicode.IsDigit(r) || r == '.' || r == '_' || r == '-') {
					break
				}
				j += n
			}
			name := strings.TrimRight(text[i+size:j], ".-")
			if name != "" {
				if c == '@' && !seenU[name] {
					seenU[name] = true
					users = append(users, name)
				} else if c == '#' && !seenC[name] {
					seenC[name] = true
					channels = append(channels, name)
				}
			}
			prev = 'x'
			i = j
			continue
		}
		prev = c
		i += size
	}
	return users, channels
}

// resolveMentions fills m.Mentions, m.Channels and m.GroupMention from its
// text. Unknown names are ignored, as in Rocket.Chat.
func (s *Service) resolveMentions(ctx context.Context, st chat.Store, m *chat.Message) error {
	m.Mentions, m.Channels, m.GroupMention = nil, nil, false
	names, chans := scanMentions(m.Text)
	var lookup []string
	for _, n := range names {
		switch n {
		case "all", "here":
			m.Mentions = append(m.Mentions, chat.Mention{ID: n, Username: n, Type: "user"})
			m.GroupMention = true
		default:
			lookup = append(lookup, n)
		}
	}
	if len(lookup) > 0 {
		users, err := st.UsersByUsernames(ctx, lookup)
		if err != nil {
			return err
		}
		for _, u := range users {
			m.Mentions = append(m.Mentions, chat.Mention{ID: u.ID, Username: u.Username, Name: u.Name, Type: "user"})
		}
	}
	for _, name := range chans {
		r, err := st.RoomByName(ctx, name)
		if err != nil {
			if chat.IsKind(err, chat.ENotFound) {
				continue
			}
			return err
		}
		if r.Type == chat.RoomChannel {
			m.Channels = append(m.Channels, chat.ChannelRef{ID: r.ID, Name: r.Name})
		}
	}
	return nil
}
