// Package web serves Liftoff's web client: the assets that `make web`
// builds from web/ into dist/, embedded in the binary so that a clean
// checkout builds and serves the whole product.
//
// Hashed assets (dist/assets/*) are served with a year of immutable
// caching, precompressed (brotli or gzip, as the client accepts); every
// other path that is not an API path gets index.html, uncached, so that the
// client's own router can answer it. Every response carries a Content
// Security Policy that allows nothing but this origin.
//
// It imports only the standard library.
package web
