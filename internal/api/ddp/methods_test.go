package ddp_test

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/liftoff-chat/liftoff/internal/api/ddp/ddptest"
	"github.com/liftoff-chat/liftoff/internal/testenv"
)

// date returns an EJSON date parameter.
func date(t time.Time) map[string]any { return map[string]any{"$date": t.UnixMilli()} }

// isEJSONDate reports whether v is {"$date": <number>}.
func isEJSONDate(v any) bool {
	m, ok := v.(map[string]any)
	if !ok || len(m) != 1 {
		return false
	}
	_, ok = m["$date"].(float64)
	return ok
}

// TestMessageMethods drives the message methods over DDP and checks each
// result and its effect through REST.
func TestMessageMethods(t *testing.T) {
	t.Parallel()
	env := testenv.Start(t, testenv.Options{})
	alice, bob := env.CreateUser(t, "alice"), env.CreateUser(t, "bob")
	a, b := login(t, env, alice), login(t, env, bob)

	var sent map[string]any
	a.MustCall(&sent, "sendMessage", map[string]any{"_id": "clientChosen0000001", "rid": "GENERAL", "msg": "hello"})
	if sent["_id"] != "clientChosen0000001" || sent["msg"] != "hello" || sent["rid"] != "GENERAL" || !isEJSONDate(sent["ts"]) ||
		!isEJSONDate(sent["_updatedAt"]) || sent["u"].(map[string]any)["username"] != "alice" {
		t.Fatalf("sendMessage result %v", sent)
	}
	mid := "clientChosen0000001"
	getMsg := func() map[string]any {
		return env.Admin.Get(t, "/api/v1/chat.getMessage", map[string]string{"msgId": mid}).MustOK(t)["message"].(map[string]any)
	}

	if r := a.Call("updateMessage", map[string]any{"_id": mid, "rid": "GENERAL", "msg": "hello, edited"}); r.Error != nil || r.Result != nil {
		t.Fatalf("updateMessage: %s", r.Frame.Raw)
	}
	if m := getMsg(); m["msg"] != "hello, edited" || m["editedAt"] == nil {
		t.Fatalf("after updateMessage: %v", m)
	}
	if r := b.Call("updateMessage", map[string]any{"_id": mid, "rid": "GENERAL", "msg": "not mine"}); r.Error == nil {
		t.Fatal("bob edited alice's message")
	}
	if m := getMsg(); m["msg"] != "hello, edited" {
		t.Fatalf("a refused edit changed the message: %v", m)
	}

	b.MustCall(nil, "setReaction", ":smile:", mid)
	if m := getMsg(); m["reactions"].(map[string]any)[":smile:"] == nil {
		t.Fatalf("after setReaction: %v", m)
	}
	b.MustCall(nil, "setReaction", ":smile:", mid) // toggles off
	if m := getMsg(); m["reactions"] != nil && m["reactions"].(map[string]any)[":smile:"] != nil {
		t.Fatalf("after the second setReaction: %v", m)
	}
	b.MustCall(nil, "setReaction", ":smile:", mid, false) // explicit unreact of nothing: no change
	if m := getMsg(); m["reactions"] != nil && m["reactions"].(map[string]any)[":smile:"] != nil {
		t.Fatalf("after setReaction false: %v", m)
	}

	var starred bool
	b.MustCall(&starred, "starMessage", map[string]any{"_id": mid, "rid": "GENERAL", "starred": true})
	if m := getMsg(); len(m["starred"].([]any)) != 1 {
		t.Fatalf("after starMessage: %v", m)
	}

	// Pinning needs pin-message, which a plain user lacks in #general.
	if r := a.Call("pinMessage", map[string]any{"_id": mid, "rid": "GENERAL"}); r.Error == nil {
		t.Fatal("a user without pin-message pinned")
	}
	if m := getMsg(); m["pinned"] == true {
		t.Fatalf("a refused pin changed the message: %v", m)
	}
	adm := login(t, env, env.Admin)
	var pinned map[string]any
	adm.MustCall(&pinned, "pinMessage", map[string]any{"_id": mid, "rid": "GENERAL"})
	if m := getMsg(); m["pinned"] != true {
		t.Fatalf("after pinMessage: %v", m)
	}
	var unpinned bool
	adm.MustCall(&unpinned, "unpinMessage", map[string]any{"_id": mid, "rid": "GENERAL"})
	if m := getMsg(); m["pinned"] == true || !unpinned {
		t.Fatalf("after unpinMessage: %v", m)
	}

	// Threads: a reply, following, and getThreadMessages with the root first.
	var reply map[string]any
	b.MustCall(&reply, "sendMessage", map[string]any{"rid": "GENERAL", "msg": "a reply", "tmid": mid})
	var thread []map[string]any
	a.MustCall(&thread, "getThreadMessages", map[string]any{"tmid": mid})
	if len(thread) != 2 || thread[0]["_id"] != mid || thread[1]["_id"] != reply["_id"] {
		t.Fatalf("getThreadMessages: %v", thread)
	}
	a.MustCall(nil, "unfollowMessage", map[string]any{"mid": mid})
	if m := getMsg(); strings.Contains(strings.Join(toStrings(m["replies"]), ","), alice.UserID) {
		t.Fatalf("alice still follows after unfollowMessage: %v", m["replies"])
	}
	a.MustCall(nil, "followMessage", map[string]any{"mid": mid})
	if m := getMsg(); !strings.Contains(strings.Join(toStrings(m["replies"]), ","), alice.UserID) {
		t.Fatalf("alice does not follow after followMessage: %v", m["replies"])
	}

	if r := b.Call("deleteMessage", map[string]any{"_id": reply["_id"]}); r.Error != nil || r.Result != nil {
		t.Fatalf("deleteMessage: %s", r.Frame.Raw)
	}
	env.Admin.Get(t, "/api/v1/chat.getMessage", map[string]string{"msgId": reply["_id"].(string)}).MustFail(t, 400)
	if r := b.Call("deleteMessage", map[string]any{"_id": mid}); r.Error == nil {
		t.Fatal("bob deleted alice's message")
	}
	getMsg()

	if r := a.Call("sendMessage", map[string]any{"rid": "NoSuchRoom", "msg": "x"}); r.Error == nil {
		t.Fatalf("sendMessage to an unknown room: %s", r.Frame.Raw)
	}
	if r := a.Call("sendMessage", "not an object"); r.Error["error"] != "error-invalid-params" {
		t.Fatalf("sendMessage with a bad parameter: %s", r.Frame.Raw)
	}
}

func toStrings(v any) []string {
	var out []string
	for _, x := range v.([]any) {
		out = append(out, x.(string))
	}
	return out
}

// TestRoomMethods drives the room methods over DDP.
func TestRoomMethods(t *testing.T) {
	t.Parallel()
	env := testenv.Start(t, testenv.Options{})
	alice, bob, carol := env.CreateUser(t, "alice"), env.CreateUser(t, "bob"), env.CreateUser(t, "carol")
	a, b, c := login(t, env, alice), login(t, env, bob), login(t, env, carol)

	var ch map[string]string
	a.MustCall(&ch, "createChannel", "town-square", []string{"bob"})
	if ch["name"] != "town-square" || len(ch["rid"]) != 17 {
		t.Fatalf("createChannel: %v", ch)
	}
	var grp map[string]string
	a.MustCall(&grp, "createPrivateGroup", "inner-circle", []string{"bob"}, true)
	info := alice.Get(t, "/api/v1/rooms.info", map[string]string{"roomId": grp["rid"]}).MustOK(t)["room"].(map[string]any)
	if info["t"] != "p" || info["ro"] != true {
		t.Fatalf("createPrivateGroup made %v", info)
	}
	if r := a.Call("createChannel", "town-square", []string{}); r.Error == nil {
		t.Fatal("a duplicate channel name was accepted")
	}

	var rid, name string
	c.MustCall(&rid, "getRoomIdByNameOrId", "town-square")
	c.MustCall(&name, "getRoomNameById", ch["rid"])
	if rid != ch["rid"] || name != "town-square" {
		t.Fatalf("lookups: %q %q", rid, name)
	}
	if r := c.Call("getRoomIdByNameOrId", "inner-circle"); r.Error["error"] != "error-not-allowed" {
		t.Fatalf("lookup of a private group by an outsider: %s", r.Frame.Raw)
	}

	var joined bool
	c.MustCall(&joined, "joinRoom", ch["rid"])
	if !joined {
		t.Fatal("joinRoom did not answer true")
	}
	if r := c.Call("joinRoom", grp["rid"]); r.Error == nil {
		t.Fatal("joined a private group without an invitation")
	}

	var dm map[string]any
	a.MustCall(&dm, "createDirectMessage", "carol")
	if dm["t"] != "d" || dm["rid"] != dm["_id"] || !strings.Contains(dm["rid"].(string), alice.UserID) {
		t.Fatalf("createDirectMessage: %v", dm)
	}

	// History: three messages, newest first; loadMissedMessages after the first.
	var firstTS time.Time
	for i, text := range []string{"one", "two", "three"} {
		var m map[string]any
		a.MustCall(&m, "sendMessage", map[string]any{"rid": ch["rid"], "msg": text})
		if i == 0 {
			firstTS = time.UnixMilli(int64(m["ts"].(map[string]any)["$date"].(float64)))
		}
		time.Sleep(5 * time.Millisecond)
	}
	var hist struct {
		Messages []map[string]any `json:"messages"`
	}
	c.MustCall(&hist, "loadHistory", ch["rid"], nil, 2, nil)
	if len(hist.Messages) != 2 || hist.Messages[0]["msg"] != "three" || hist.Messages[1]["msg"] != "two" {
		t.Fatalf("loadHistory: %v", hist.Messages)
	}
	var older struct {
		Messages []map[string]any `json:"messages"`
	}
	c.MustCall(&older, "loadHistory", ch["rid"], hist.Messages[1]["ts"], 20, nil)
	if len(older.Messages) == 0 || older.Messages[0]["msg"] != "one" {
		t.Fatalf("loadHistory before a date: %v", older.Messages)
	}
	var unread struct {
		Messages        []map[string]any `json:"messages"`
		UnreadNotLoaded *int             `json:"unreadNotLoaded"`
	}
	c.MustCall(&unread, "loadHistory", ch["rid"], nil, 1, date(firstTS.Add(-time.Millisecond)))
	if unread.UnreadNotLoaded == nil || *unread.UnreadNotLoaded != 2 {
		t.Fatalf("loadHistory with ls: %+v", unread)
	}
	if r := c.Call("loadHistory", grp["rid"], nil, 20, nil); string(r.Result) != "false" {
		t.Fatalf("loadHistory of an unreadable room: %s", r.Frame.Raw)
	}
	var missed []map[string]any
	c.MustCall(&missed, "loadMissedMessages", ch["rid"], date(firstTS))
	if len(missed) != 2 {
		t.Fatalf("loadMissedMessages: %d messages", len(missed))
	}

	// readMessages clears the unread count.
	sub := func() map[string]any {
		return carol.Get(t, "/api/v1/subscriptions.getOne", map[string]string{"roomId": ch["rid"]}).MustOK(t)["subscription"].(map[string]any)
	}
	if sub()["unread"] == float64(0) {
		t.Fatal("carol has nothing unread before readMessages")
	}
	c.MustCall(nil, "readMessages", ch["rid"])
	if u := sub()["unread"]; u != float64(0) {
		t.Fatalf("unread after readMessages: %v", u)
	}

	// subscriptions/get and rooms/get, whole and since a date.
	var subs []map[string]any
	c.MustCall(&subs, "subscriptions/get")
	if !hasRID(subs, ch["rid"], "rid") || !hasRID(subs, "GENERAL", "rid") || !isEJSONDate(subs[0]["_updatedAt"]) {
		t.Fatalf("subscriptions/get: %v", subs)
	}
	var rooms []map[string]any
	c.MustCall(&rooms, "rooms/get")
	if !hasRID(rooms, ch["rid"], "_id") || hasRID(rooms, grp["rid"], "_id") {
		t.Fatalf("rooms/get: %v", rooms)
	}
	mark := time.Now()
	time.Sleep(5 * time.Millisecond)
	c.MustCall(nil, "leaveRoom", ch["rid"])
	var subsSince struct {
		Update []map[string]any `json:"update"`
		Remove []map[string]any `json:"remove"`
	}
	c.MustCall(&subsSince, "subscriptions/get", date(mark))
	if len(subsSince.Update) != 0 || len(subsSince.Remove) != 1 || !isEJSONDate(subsSince.Remove[0]["_deletedAt"]) {
		t.Fatalf("subscriptions/get since: %+v", subsSince)
	}
	var roomsSince struct {
		Update []map[string]any `json:"update"`
		Remove []map[string]any `json:"remove"`
	}
	c.MustCall(&roomsSince, "rooms/get", date(mark))
	if roomsSince.Update == nil || roomsSince.Remove == nil {
		t.Fatalf("rooms/get since: %+v", roomsSince)
	}

	var roles []map[string]any
	b.MustCall(&roles, "getRoomRoles", ch["rid"])
	if len(roles) != 1 || roles[0]["u"].(map[string]any)["username"] != "alice" || roles[0]["roles"].([]any)[0] != "owner" {
		t.Fatalf("getRoomRoles: %v", roles)
	}
	if r := c.Call("getRoomRoles", grp["rid"]); r.Error == nil {
		t.Fatal("getRoomRoles of a private group for an outsider")
	}

	var users struct {
		Total   int              `json:"total"`
		Records []map[string]any `json:"records"`
	}
	b.MustCall(&users, "getUsersOfRoom", ch["rid"], true)
	if users.Total != 2 || len(users.Records) != 2 {
		t.Fatalf("getUsersOfRoom showAll: %+v", users)
	}
	if r := c.Call("getUsersOfRoom", grp["rid"], true); r.Error == nil {
		t.Fatal("getUsersOfRoom of a private group for an outsider")
	}
}

func hasRID(docs []map[string]any, id, key string) bool {
	for _, d := range docs {
		if d[key] == id {
			return true
		}
	}
	return false
}

// TestSettingsMethods checks public-settings/get, permissions/get and
// getUserRoles.
func TestSettingsMethods(t *testing.T) {
	t.Parallel()
	env := testenv.Start(t, testenv.Options{})
	bob := env.CreateUser(t, "bob")
	anon, _ := ddptest.Connect(t, env.WSURL, "1")
	var settings []map[string]any
	anon.MustCall(&settings, "public-settings/get")
	found := false
	for _, s := range settings {
		if s["_id"] == "Site_Name" {
			found = true
		}
		if s["_id"] == "SMTP_Password" {
			t.Fatal("a private setting is public")
		}
	}
	if !found || len(settings) < 10 {
		t.Fatalf("public-settings/get: %d settings", len(settings))
	}
	mark := time.Now()
	time.Sleep(5 * time.Millisecond)
	env.Admin.Post(t, "/api/v1/settings/Site_Name", map[string]any{"value": "Changed"}).MustOK(t)
	var since struct {
		Update []map[string]any `json:"update"`
		Remove []any            `json:"remove"`
	}
	anon.MustCall(&since, "public-settings/get", date(mark))
	if len(since.Update) != 1 || since.Update[0]["_id"] != "Site_Name" || since.Remove == nil {
		t.Fatalf("public-settings/get since: %+v", since)
	}

	b := login(t, env, bob)
	var perms []map[string]any
	b.MustCall(&perms, "permissions/get")
	if len(perms) < 100 || perms[0]["roles"] == nil || !isEJSONDate(perms[0]["_updatedAt"]) {
		t.Fatalf("permissions/get: %d, first %v", len(perms), perms[0])
	}
	var admins []map[string]any
	b.MustCall(&admins, "getUserRoles")
	if len(admins) != 1 || admins[0]["username"] != "admin" {
		t.Fatalf("getUserRoles: %v", admins)
	}
	if r := anon.Call("getUserRoles"); r.Error["error"] != "error-invalid-user" {
		t.Fatalf("getUserRoles anonymously: %s", r.Frame.Raw)
	}
}

// TestPresenceMethods checks UserPresence:* and setUserStatus, and that
// REST's users.getStatus agrees with the user-status stream.
func TestPresenceMethods(t *testing.T) {
	t.Parallel()
	env := testenv.Start(t, testenv.Options{})
	alice, bob := env.CreateUser(t, "alice"), env.CreateUser(t, "bob")
	watcher := login(t, env, bob)
	watcher.MustSub("stream-notify-logged", "user-status", false)
	a := login(t, env, alice)
	statusEvent := func(code float64) []any {
		args := watcher.ExpectEvent("stream-notify-logged", "user-status", func(args []any) bool {
			e := args[0].([]any)
			return e[0] == alice.UserID && e[2] == code
		})
		return args[0].([]any)
	}
	statusEvent(1)

	a.MustCall(nil, "UserPresence:away")
	statusEvent(2)
	if s := status(t, env, alice.UserID); s != "away" {
		t.Fatalf("after UserPresence:away: %s", s)
	}
	a.MustCall(nil, "UserPresence:online")
	statusEvent(1)

	var ok bool
	a.MustCall(&ok, "UserPresence:setDefaultStatus", "busy")
	statusEvent(3)
	if s := status(t, env, alice.UserID); s != "busy" || !ok {
		t.Fatalf("after setDefaultStatus busy: %s", s)
	}
	a.MustCall(nil, "setUserStatus", "online", "lunch")
	e := statusEvent(1)
	if e[3] != "lunch" {
		t.Fatalf("status text: %v", e)
	}
	body := env.Admin.Get(t, "/api/v1/users.getStatus", map[string]string{"userId": alice.UserID}).MustOK(t)
	if body["status"] != "online" {
		t.Fatalf("users.getStatus: %v", body)
	}
	if r := a.Call("UserPresence:setDefaultStatus", "sleeping"); r.Error == nil {
		t.Fatal("an invalid status was accepted")
	}
	a.Close()
	statusEvent(0)
	if s := status(t, env, alice.UserID); s != "offline" {
		t.Fatalf("after the connection closed: %s", s)
	}
}

// TestMethodCall checks the REST transport of DDP methods: EJSON strings
// in and out, errors inside the string with 200, 401 without login for
// method.call, and callAnon without a user.
func TestMethodCall(t *testing.T) {
	t.Parallel()
	env := testenv.Start(t, testenv.Options{})
	bob := env.CreateUser(t, "bob")
	call := func(c *testenv.Client, path string, msg map[string]any) (map[string]any, *testenv.Response) {
		b, _ := json.Marshal(msg)
		res := c.Post(t, path, map[string]any{"message": string(b)})
		if res.Status != 200 {
			return nil, res
		}
		var inner map[string]any
		if err := json.Unmarshal([]byte(res.Body["message"].(string)), &inner); err != nil {
			t.Fatalf("message is not JSON: %s", res.Raw)
		}
		return inner, res
	}
	inner, res := call(bob, "/api/v1/method.call/getUserRoles", map[string]any{"msg": "method", "id": "7", "method": "getUserRoles", "params": []any{}})
	if res.Body["success"] != true || inner["msg"] != "result" || inner["id"] != "7" {
		t.Fatalf("method.call: %s", res.Raw)
	}
	if users := inner["result"].([]any); len(users) != 1 || users[0].(map[string]any)["username"] != "admin" {
		t.Fatalf("getUserRoles over method.call: %v", inner)
	}

	inner, _ = call(bob, "/api/v1/method.call/sendMessage", map[string]any{"msg": "method", "id": "8", "method": "sendMessage",
		"params": []any{map[string]any{"rid": "GENERAL", "msg": "over REST"}}})
	m := inner["result"].(map[string]any)
	if m["msg"] != "over REST" || !isEJSONDate(m["ts"]) {
		t.Fatalf("sendMessage over method.call: dates must be EJSON inside the string: %v", inner)
	}

	inner, res = call(bob, "/api/v1/method.call/loadHistory", map[string]any{"msg": "method", "id": "9", "method": "loadHistory",
		"params": []any{"GENERAL", nil, 1, date(time.Now().Add(-time.Hour))}})
	if res.Status != 200 || inner["result"].(map[string]any)["messages"] == nil {
		t.Fatalf("loadHistory with an EJSON date over method.call: %s", res.Raw)
	}

	inner, res = call(bob, "/api/v1/method.call/deleteMessage", map[string]any{"msg": "method", "id": "10", "method": "deleteMessage",
		"params": []any{map[string]any{"_id": "nope"}}})
	if res.Status != 200 || inner["error"] == nil || inner["result"] != nil {
		t.Fatalf("a method error over method.call: %s", res.Raw)
	}

	_, res = call(env.Anon(), "/api/v1/method.call/getUserRoles", map[string]any{"msg": "method", "id": "1", "method": "getUserRoles", "params": []any{}})
	res.MustFail(t, 401)
	inner, _ = call(env.Anon(), "/api/v1/method.callAnon/public-settings%2Fget", map[string]any{"msg": "method", "id": "2", "method": "public-settings/get", "params": []any{}})
	if len(inner["result"].([]any)) < 10 {
		t.Fatalf("public-settings/get over callAnon: %v", inner)
	}
	inner, _ = call(bob, "/api/v1/method.callAnon/getUserRoles", map[string]any{"msg": "method", "id": "3", "method": "getUserRoles", "params": []any{}})
	if inner["error"].(map[string]any)["error"] != "error-invalid-user" {
		t.Fatalf("callAnon ran as the caller: %v", inner)
	}
	inner, _ = call(env.Anon(), "/api/v1/method.callAnon/login", map[string]any{"msg": "method", "id": "4", "method": "login",
		"params": []any{map[string]any{"user": map[string]any{"username": "bob"}, "password": "pw-bob"}}})
	if inner["result"].(map[string]any)["id"] != bob.UserID || !isEJSONDate(inner["result"].(map[string]any)["tokenExpires"]) {
		t.Fatalf("login over callAnon: %v", inner)
	}
	env.Anon().Post(t, "/api/v1/method.call/x", map[string]any{}).MustFail(t, 401)
	bob.Post(t, "/api/v1/method.call/x", map[string]any{}).MustFail(t, 400)
	bob.Post(t, "/api/v1/method.call/x", map[string]any{"message": "{not json"}).MustFail(t, 400)
}

// TestPrivateSettingsGet checks that administrators get every setting with
// its type, group and environment lock, and that others are refused.
func TestPrivateSettingsGet(t *testing.T) {
	t.Parallel()
	env := testenv.Start(t, testenv.Options{Env: map[string]string{"OVERWRITE_SETTING_Site_Name": "Locked Name"}})
	bob := env.CreateUser(t, "bob")
	admin := login(t, env, env.Admin)
	var settings []map[string]any
	admin.MustCall(&settings, "private-settings/get")
	byID := map[string]map[string]any{}
	for _, s := range settings {
		byID[s["_id"].(string)] = s
	}
	site, smtp := byID["Site_Name"], byID["Message_MaxAllowedSize"]
	if site == nil || site["value"] != "Locked Name" || site["blocked"] != true || site["type"] != "string" {
		t.Fatalf("Site_Name: %v", site)
	}
	if smtp == nil || smtp["group"] == "" || smtp["type"] != "int" {
		t.Fatalf("Message_MaxAllowedSize: %v", smtp)
	}
	if len(settings) < 100 {
		t.Fatalf("private-settings/get: %d settings", len(settings))
	}
	if r := login(t, env, bob).Call("private-settings/get"); r.Error == nil {
		t.Fatalf("private-settings/get as a user: %s", r.Frame.Raw)
	}
}
