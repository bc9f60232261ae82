package nats

import (
	"strings"
	"unicode"

	"github.com/liftoff-chat/liftoff/internal/chat"
)

// checkTopic accepts non-empty dot-separated tokens without spaces,
// control or wildcard characters; a subscription may end in the ".>"
// token. nats.go checks only for spaces, and outside pedantic mode the
// server lets wildcard characters through in a published subject, where
// they would match subscriptions by accident; so topics are checked here,
// by the same rules as the memory bus.
func checkTopic(topic string, subscribe bool) error {
	name := topic
	if subscribe {
		name = strings.TrimSuffix(topic, ".>")
	}
	for tok := range strings.SplitSeq(name, ".") {
		if tok == "" || strings.ContainsFunc(tok, badTopicRune) {
			return chat.Errorf(chat.EInvalid, "", "invalid bus topic %q", topic)
		}
	}
	return nil
}

func badTopicRune(r rune) bool {
	return r == '*' || r == '>' || unicode.IsSpace(r) || unicode.IsControl(r)
}

// normalizePrefix returns the subject prefix to use: DefaultPrefix when
// none is given, and always ending in a dot.
func normalizePrefix(p string) (string, error) {
	if p == "" {
		return DefaultPrefix, nil
	}
	p = strings.TrimSuffix(p, ".")
	if err := checkTopic(p, false); err != nil {
		return "", chat.Errorf(chat.EInvalid, "", "invalid subject prefix %q", p)
	}
	return p + ".", nil
}

// redactURL hides the user information of every URL in a comma-separated
// list, for error messages. It works on text, because it is used on URLs
// that do not parse.
func redactURL(urls string) string {
	parts := strings.Split(urls, ",")
	for i, u := range parts {
		scheme, rest, ok := strings.Cut(u, "://")
		if !ok {
			scheme, rest = "", u
		}
		if at := strings.LastIndex(rest, "@"); at >= 0 {
			rest = "redacted" + rest[at:]
		}
		if ok {
			rest = scheme + "://" + rest
		}
		parts[i] = rest
	}
	return strings.Join(parts, ",")
}
