package memory

import (
	"strings"
	"unicode"

	"github.com/liftoff-chat/liftoff/internal/chat"
)

// checkTopic accepts the topics NATS accepts as literal subjects: non-empty
// dot-separated tokens without spaces or control characters. Wildcard
// characters are refused inside tokens, so a topic never means something
// different on NATS; a subscription may end in the ".>" token. The NATS
// bus applies the same rules.
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
