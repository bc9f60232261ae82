// A bot written with @rocket.chat/sdk@1.0.0-alpha.42 (the Rocketchat
// client EmbeddedChat builds on) against Liftoff, and a second client
// written with @embeddedchat/api: the scenario of issue 3 §7.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import sdk from '@rocket.chat/sdk';
import { EmbeddedChatApi } from '@embeddedchat/api';
import { URL_BASE, silent, rest, login, createUser, waitFor } from './helpers.mjs';

const { Rocketchat } = sdk;

test('a bot logs in, follows a room, answers, and sees edits, reactions, deletions and typing', async (t) => {
  const botUser = await createUser('bot');
  const human = await createUser('human');
  const humanAuth = await login(human.username, human.password);
  const rid = 'GENERAL';

  // The bot: REST login, then DDP resume with the token (Rocketchat.login).
  const bot = new Rocketchat({ host: URL_BASE, useSsl: false, protocol: 'ddp', logger: silent });
  t.after(() => bot.disconnect());
  await bot.connect({});
  await bot.login({ username: botUser.username, password: botUser.password });

  const roomFrames = [];
  const notifyRoom = [];
  const notifyUser = [];
  await bot.subscribeRoom(rid);
  await bot.subscribeNotifyUser();
  await bot.onMessage((m) => roomFrames.push(m));
  await bot.onStreamData('stream-notify-room', (f) => notifyRoom.push(f));
  await bot.onStreamData('stream-notify-user', (f) => notifyUser.push(f));

  // DDP login marked the bot online.
  const info = await rest('GET', `users.info?userId=${botUser.id}`, undefined, humanAuth);
  assert.equal(info.data.user.status, 'online');

  // The second client: EmbeddedChat, logged in as the human, following the room.
  const tokens = {};
  const ec = new EmbeddedChatApi(URL_BASE, rid, {
    getToken: async () => tokens.t,
    saveToken: async (v) => { tokens.t = v; },
    deleteToken: async () => { delete tokens.t; },
  });
  // Not ec.close(): it awaits the SDK's unsubscribe, which waits for an
  // answer to unsub that never comes (the SDK ignores nosub, which is what
  // Rocket.Chat answers); the socket is closed directly instead.
  t.after(() => ec.rcClient.disconnect());
  const ecLogin = await ec.login(human.username, human.password);
  assert.equal(ecLogin.status, 'success', JSON.stringify(ecLogin));
  const typing = [];
  const ecMessages = [];
  await ec.addTypingStatusListener((users) => typing.push([...users]));
  await ec.addMessageListener((m) => ecMessages.push(m));
  await ec.connect();

  // A message the human posts over REST reaches the bot, with an EJSON date
  // the SDK turns into a Date.
  const posted = await rest('POST', 'chat.postMessage', { roomId: rid, text: 'hello bot' }, humanAuth);
  assert.equal(posted.status, 200, JSON.stringify(posted.data));
  const mid = posted.data.message._id;
  const got = await waitFor('the human message at the bot', () => roomFrames.find((m) => m._id === mid));
  assert.equal(got.msg, 'hello bot');
  assert.equal(got.u.username, human.username);
  assert.ok(got.ts instanceof Date && !Number.isNaN(got.ts.getTime()));

  // The bot types (seen by the other client, not by itself) and answers
  // through the DDP sendMessage method.
  await bot.methodCall('stream-notify-room', `${rid}/user-activity`, botUser.username, ['user-typing']);
  await waitFor('the bot typing at the second client', () => typing.find((users) => users.includes(botUser.username)));
  const answer = await bot.methodCall('sendMessage', { rid, msg: `hi ${human.username}` });
  assert.equal(answer.msg, `hi ${human.username}`);
  assert.equal(typeof answer.ts.$date, 'number');
  await waitFor('the answer at the second client', () => ecMessages.find((m) => m._id === answer._id));
  await bot.methodCall('stream-notify-room', `${rid}/user-activity`, botUser.username, []);
  await waitFor('the bot stopping typing', () => typing.length > 1 && !typing[typing.length - 1].includes(botUser.username));
  assert.ok(!notifyRoom.some((f) => f.fields.args[0] === botUser.username), 'the bot got its own typing back');

  // An edit and a reaction arrive as changed messages.
  const edit = await rest('POST', 'chat.update', { roomId: rid, msgId: mid, text: 'hello bot, edited' }, humanAuth);
  assert.equal(edit.status, 200, JSON.stringify(edit.data));
  const edited = await waitFor('the edit', () => roomFrames.find((m) => m._id === mid && m.msg === 'hello bot, edited'));
  assert.equal(typeof edited.editedAt.$date, 'number');
  const react = await rest('POST', 'chat.react', { messageId: mid, emoji: ':rocket:' }, humanAuth);
  assert.equal(react.status, 200, JSON.stringify(react.data));
  const reacted = await waitFor('the reaction', () => roomFrames.find((m) => m._id === mid && m.reactions && m.reactions[':rocket:']));
  assert.deepEqual(reacted.reactions[':rocket:'].usernames, [human.username]);

  // A deletion arrives on deleteMessage.
  const del = await rest('POST', 'chat.delete', { roomId: rid, msgId: mid }, humanAuth);
  assert.equal(del.status, 200, JSON.stringify(del.data));
  const gone = await waitFor('the deletion', () => notifyRoom.find((f) => f.fields.eventName === `${rid}/deleteMessage`));
  assert.equal(gone.fields.args[0]._id, mid);

  // notify-user: a mention of the bot arrives as a notification.
  await rest('POST', 'chat.postMessage', { roomId: rid, text: `@${botUser.username} ping` }, humanAuth);
  const note = await waitFor('the notification', () => notifyUser.find((f) => f.fields.eventName === `${botUser.id}/notification`));
  assert.equal(note.fields.args[0].payload.rid, rid);
});

test('legacy bot helpers: room lookups, direct messages, reactions and history over DDP', async (t) => {
  const botUser = await createUser('helper');
  const peer = await createUser('peer');
  const bot = new Rocketchat({ host: URL_BASE, useSsl: false, protocol: 'ddp', logger: silent });
  t.after(() => bot.disconnect());
  await bot.connect({});
  await bot.login({ username: botUser.username, password: botUser.password });

  assert.equal(await bot.methodCall('getRoomIdByNameOrId', 'general'), 'GENERAL');
  assert.equal(await bot.methodCall('getRoomNameById', 'GENERAL'), 'general');
  const dm = await bot.methodCall('createDirectMessage', peer.username);
  assert.equal(dm.t, 'd');
  assert.ok(dm.rid.includes(botUser.id) && dm.rid.includes(peer.id));
  const sent = await bot.methodCall('sendMessage', { rid: dm.rid, msg: 'private hello' });
  await bot.methodCall('setReaction', ':wave:', sent._id);
  const history = await bot.methodCall('loadHistory', dm.rid, null, 10, null);
  assert.equal(history.messages[0]._id, sent._id);
  assert.deepEqual(history.messages[0].reactions[':wave:'].usernames, [botUser.username]);
  const subs = await bot.methodCall('subscriptions/get');
  assert.ok(subs.some((s) => s.rid === dm.rid));
});
