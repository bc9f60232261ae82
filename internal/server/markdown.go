package server

import (
	"encoding/json"

	"github.com/liftoff-chat/liftoff/internal/markdown"
)

// parseMarkdown gives a message its md tree, as Rocket.Chat's
// message-parser would, with the parser options the settings choose
// (colors, emoticons, KaTeX).
func parseMarkdown(text string, setting func(id string) (any, bool)) json.RawMessage {
	return markdown.AppendJSON(nil, markdown.Parse(text, markdown.OptionsFromSettings(setting)))
}
