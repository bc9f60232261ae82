// Package ddp serves Rocket.Chat's realtime API at /websocket: Meteor's
// DDP over plain WebSocket, one JSON (EJSON) object per text frame.
//
// conn.go runs a connection (server-id frame, connect, ping/pong, the
// read and write loops); methods*.go map DDP method names to the same core
// use cases as the REST API; streams.go applies the read and write rules
// of Rocket.Chat's streams and subscribes through the realtime hub, which
// renders and queues the events. Methods are also callable over REST
// (method.call) through CallMethod.
//
// It imports core, realtime, chat and wire.
package ddp
