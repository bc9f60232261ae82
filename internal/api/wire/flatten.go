package wire

import "encoding/json"

// flatten turns a tagged struct into a map and merges extra keys into it,
// for documents that carry open-ended fields at top level.
func flatten(v any, extra map[string]any) map[string]any {
	b, err := json.Marshal(v)
	if err != nil {
		panic("wire: " + err.Error())
	}
	out := map[string]any{}
	if err := json.Unmarshal(b, &out); err != nil {
		panic("wire: " + err.Error())
	}
	for k, x := range extra {
		if _, taken := out[k]; !taken {
			out[k] = x
		}
	}
	return out
}
