package core

import (
	"slices"
	"testing"

	"github.com/liftoff-chat/liftoff/internal/chat"
)

func TestDefaultRoles(t *testing.T) {
	seen := map[string]bool{}
	for _, r := range defaultRoles() {
		if seen[r.ID] {
			t.Errorf("role %q listed twice", r.ID)
		}
		seen[r.ID] = true
		if r.Name != r.ID {
			t.Errorf("role %q: name %q, want the id", r.ID, r.Name)
		}
		if r.Scope != "Users" && r.Scope != "Subscriptions" {
			t.Errorf("role %q: scope %q", r.ID, r.Scope)
		}
		if !r.Protected {
			t.Errorf("role %q is not protected", r.ID)
		}
	}
	for id, scope := range map[string]string{
		"admin": "Users", "user": "Users", "bot": "Users", "app": "Users", "guest": "Users", "anonymous": "Users",
		"owner": "Subscriptions", "moderator": "Subscriptions", "leader": "Subscriptions",
	} {
		i := slices.IndexFunc(defaultRoles(), func(r chat.Role) bool { return r.ID == id })
		if i < 0 {
			t.Errorf("role %q missing", id)
			continue
		}
		if got := defaultRoles()[i].Scope; got != scope {
			t.Errorf("role %q: scope %q, want %q", id, got, scope)
		}
	}
}

func TestDefaultPermissionsUnique(t *testing.T) {
	seen := map[string]bool{}
	for i, p := range defaultPermissions() {
		if seen[p.ID] {
			t.Errorf("permission %q listed twice", p.ID)
		}
		seen[p.ID] = true
		if p.Position != i {
			t.Errorf("permission %q: position %d, want %d", p.ID, p.Position, i)
		}
		if p.Group != "permissions" {
			t.Errorf("permission %q: group %q", p.ID, p.Group)
		}
		if p.Roles == nil {
			t.Errorf("permission %q: nil roles (would encode as null, not [])", p.ID)
		}
	}
}

// EmbeddedChat reads permissions.listAll's update array by index.
func TestDefaultPermissionsEmbeddedChatIndices(t *testing.T) {
	ps := defaultPermissions()
	for idx, id := range map[int]string{
		28:  "edit-message",
		70:  "view-full-other-user-info",
		140: "post-readonly",
		150: "pin-message",
	} {
		if idx >= len(ps) {
			t.Fatalf("only %d permissions", len(ps))
		}
		if ps[idx].ID != id {
			t.Errorf("permission %d = %q, want %q", idx, ps[idx].ID, id)
		}
	}
}

func TestDefaultPermissionsRolesExist(t *testing.T) {
	roles := map[string]bool{}
	for _, r := range defaultRoles() {
		roles[r.ID] = true
	}
	for _, p := range defaultPermissions() {
		for _, r := range p.Roles {
			if !roles[r] {
				t.Errorf("permission %q grants unknown role %q", p.ID, r)
			}
		}
	}
}

func TestDefaultPermissionsRocketChatDefaults(t *testing.T) {
	byID := map[string][]string{}
	for _, p := range defaultPermissions() {
		byID[p.ID] = p.Roles
	}
	tests := []struct {
		id    string
		roles []string
	}{
		{"create-c", []string{"admin", "user", "federated-external", "bot", "app"}},
		{"view-full-other-user-info", []string{"admin"}},
		{"edit-message", []string{"admin", "owner", "moderator"}},
		{"delete-own-message", []string{"admin", "user", "federated-external"}},
		{"pin-message", []string{"owner", "moderator", "admin"}},
		{"post-readonly", []string{"admin", "owner", "moderator"}},
		{"add-user-to-any-p-room", []string{}},
		{"view-joined-room", []string{"guest", "bot", "app", "anonymous"}},
		{"message-impersonate", []string{"bot", "app"}},
	}
	for _, tt := range tests {
		t.Run(tt.id, func(t *testing.T) {
			got, ok := byID[tt.id]
			if !ok {
				t.Fatal("missing")
			}
			if !slices.Equal(got, tt.roles) {
				t.Errorf("roles %v, want %v", got, tt.roles)
			}
		})
	}
}

func TestDefaultSettingsConsistent(t *testing.T) {
	seen := map[string]bool{}
	for i, st := range defaultSettings() {
		if seen[st.ID] {
			t.Errorf("setting %q listed twice", st.ID)
		}
		seen[st.ID] = true
		if st.Order != i {
			t.Errorf("setting %q: order %d, want %d", st.ID, st.Order, i)
		}
		if st.Group == "" {
			t.Errorf("setting %q has no group", st.ID)
		}
		if st.I18nLabel == "" {
			t.Errorf("setting %q has no label", st.ID)
		}
		if st.PackageValue != st.Value {
			t.Errorf("setting %q: package value %v differs from value %v", st.ID, st.PackageValue, st.Value)
		}
		switch st.Type {
		case "boolean":
			if _, ok := st.Value.(bool); !ok {
				t.Errorf("setting %q: boolean with %T value", st.ID, st.Value)
			}
		case "int":
			if _, ok := st.Value.(int); !ok {
				t.Errorf("setting %q: int with %T value", st.ID, st.Value)
			}
		case "select":
			v, ok := st.Value.(string)
			if !ok {
				t.Errorf("setting %q: select with %T value", st.ID, st.Value)
				continue
			}
			if len(st.Values) == 0 {
				t.Errorf("setting %q: select without values", st.ID)
			}
			// Rocket.Chat leaves a few wizard selects unset ("") until
			// the setup wizard fills them.
			if v != "" && !slices.ContainsFunc(st.Values, func(o chat.SettingOption) bool { return o.Key == v }) {
				t.Errorf("setting %q: default %q not among its values", st.ID, v)
			}
		case "string", "code", "language", "password":
			if _, ok := st.Value.(string); !ok {
				t.Errorf("setting %q: %s with %T value", st.ID, st.Type, st.Value)
			}
		default:
			t.Errorf("setting %q: unexpected type %q", st.ID, st.Type)
		}
		if st.Type != "select" && len(st.Values) > 0 {
			t.Errorf("setting %q: values on a %s", st.ID, st.Type)
		}
		for _, o := range st.Values {
			if o.Key == "" || o.I18nLabel == "" {
				t.Errorf("setting %q: incomplete option %+v", st.ID, o)
			}
		}
	}
}

func TestDefaultSettingsRocketChatDefaults(t *testing.T) {
	byID := map[string]chat.Setting{}
	for _, st := range defaultSettings() {
		byID[st.ID] = st
	}
	tests := []struct {
		id     string
		value  any
		public bool
		group  string
	}{
		{"Message_MaxAllowedSize", 5000, true, "Message"},
		{"Accounts_LoginExpiration", 90, true, "Accounts"},
		{"Accounts_RegistrationForm", "Public", true, "Accounts"},
		{"Accounts_AllowAnonymousRead", false, true, "Accounts"},
		{"Accounts_ShowFormLogin", true, true, "Layout"},
		{"FileUpload_MaxFileSize", 104857600, true, "FileUpload"},
		{"FileUpload_MediaTypeBlackList", "image/svg+xml", true, "FileUpload"},
		{"FileUpload_Storage_Type", "GridFS", true, "FileUpload"},
		{"API_CORS_Origin", "*", false, "General"},
		{"API_Default_Count", 50, false, "General"},
		{"API_Upper_Count_Limit", 100, true, "General"},
		{"Prometheus_Port", 9458, false, "Logs"},
		{"Unread_Count", "user_and_group_mentions_only", true, "General"},
		{"UTF8_User_Names_Validation", "[0-9a-zA-Z-_.]+", true, "General"},
		{"Site_Name", "Rocket.Chat", true, "General"},
		{"Threads_enabled", true, true, "Threads"},
		{"Message_GroupingPeriod", 300, true, "Message"},
		{"API_Enable_Rate_Limiter_Limit_Time_Default", 60000, false, "Rate Limiter"},
	}
	for _, tt := range tests {
		t.Run(tt.id, func(t *testing.T) {
			st, ok := byID[tt.id]
			if !ok {
				t.Fatal("missing")
			}
			if st.Value != tt.value {
				t.Errorf("value %v (%T), want %v (%T)", st.Value, st.Value, tt.value, tt.value)
			}
			if st.Public != tt.public {
				t.Errorf("public %v, want %v", st.Public, tt.public)
			}
			if st.Group != tt.group {
				t.Errorf("group %q, want %q", st.Group, tt.group)
			}
		})
	}
	if got := byID["Accounts_RegistrationForm"].Values; len(got) != 3 || got[2].Key != "Secret URL" {
		t.Errorf("Accounts_RegistrationForm values %+v", got)
	}
}

// The defaults are seeded into the store and then mutated there; each call
// must hand out fresh slices.
func TestDefaultsFreshCopies(t *testing.T) {
	p := defaultPermissions()
	p[0].Roles[0] = "changed"
	if defaultPermissions()[0].Roles[0] == "changed" {
		t.Error("defaultPermissions shares role slices between calls")
	}
	s := defaultSettings()
	s[0].Value = "changed"
	if defaultSettings()[0].Value == "changed" {
		t.Error("defaultSettings shares settings between calls")
	}
}
