// Package deploy tests Liftoff's deployment artefacts: the compose files
// (loaded with the Compose Specification's own loader), the Helm chart
// (linted and rendered with Helm's own packages), the Dockerfiles and the
// copies of the dashboards and alert rules. It is a module of its own so
// that the server's module does not depend on Kubernetes' libraries:
//
//	cd deploy && go test ./...
package deploy
