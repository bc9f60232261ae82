// Package rest serves Rocket.Chat's REST API (/api/v1/...) over the core use
// cases. Handlers decode the request, call core, and encode Rocket.Chat's
// JSON; every rule lives in core. Errors take Rocket.Chat's legacy shapes.
package rest
