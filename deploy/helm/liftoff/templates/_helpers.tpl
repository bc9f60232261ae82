{{/* Names and labels. */}}
{{- define "liftoff.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "liftoff.fullname" -}}
{{- if .Values.fullnameOverride -}}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- $name := default .Chart.Name .Values.nameOverride -}}
{{- if contains $name .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}
{{- end -}}

{{- define "liftoff.selectorLabels" -}}
app.kubernetes.io/name: {{ include "liftoff.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}

{{- define "liftoff.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{ include "liftoff.selectorLabels" . }}
app.kubernetes.io/version: {{ .Values.image.tag | default .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: liftoff
{{- end -}}

{{- define "liftoff.serviceAccountName" -}}
{{- if .Values.serviceAccount.create -}}
{{- default (include "liftoff.fullname" .) .Values.serviceAccount.name -}}
{{- else -}}
{{- default "default" .Values.serviceAccount.name -}}
{{- end -}}
{{- end -}}

{{- define "liftoff.image" -}}
{{- printf "%s:%s" .Values.image.repository (.Values.image.tag | default .Chart.AppVersion) -}}
{{- end -}}

{{/*
Embedded mode: no external database, so SQLite on a volume and exactly one
pod. Scaled mode needs PostgreSQL and NATS.
*/}}
{{- define "liftoff.embedded" -}}
{{- if or .Values.database.url .Values.database.existingSecret -}}{{- else -}}true{{- end -}}
{{- end -}}

{{- define "liftoff.hasNats" -}}
{{- if or .Values.nats.url .Values.nats.existingSecret -}}true{{- end -}}
{{- end -}}

{{/* Refuse value sets that cannot work, with the reason. */}}
{{- define "liftoff.validate" -}}
{{- if include "liftoff.embedded" . -}}
{{- if .Values.autoscaling.enabled -}}
{{- fail "autoscaling needs scaled mode: the embedded SQLite database runs one pod; set database.url (PostgreSQL) and nats.url" -}}
{{- end -}}
{{- else -}}
{{- if and (not (include "liftoff.hasNats" .)) (or .Values.autoscaling.enabled (gt (int .Values.replicaCount) 1)) -}}
{{- fail "several pods need nats.url (or nats.existingSecret): events must reach every pod" -}}
{{- end -}}
{{- end -}}
{{- if and .Values.route.enabled .Values.ingress.enabled -}}
{{- fail "enable either ingress or route, not both" -}}
{{- end -}}
{{- end -}}

{{/* The URL clients use. */}}
{{- define "liftoff.rootUrl" -}}
{{- if .Values.rootUrl -}}
{{- .Values.rootUrl -}}
{{- else if and .Values.route.enabled .Values.route.host -}}
{{- printf "%s://%s" (ternary "https" "http" .Values.route.tls.enabled) .Values.route.host -}}
{{- else if and .Values.ingress.enabled .Values.ingress.hosts -}}
{{- printf "%s://%s" (ternary "https" "http" (gt (len .Values.ingress.tls) 0)) (index .Values.ingress.hosts 0).host -}}
{{- else -}}
{{- printf "http://%s" (include "liftoff.fullname" .) -}}
{{- end -}}
{{- end -}}

{{/* Pods run in scaled mode: replicas, or the HPA's minimum. */}}
{{- define "liftoff.minPods" -}}
{{- if include "liftoff.embedded" . -}}1
{{- else if .Values.autoscaling.enabled -}}{{ .Values.autoscaling.minReplicas }}
{{- else -}}{{ .Values.replicaCount }}
{{- end -}}
{{- end -}}

{{/* The pod security context; OpenShift assigns UID, GID and fsGroup. */}}
{{- define "liftoff.podSecurityContext" -}}
{{- $ctx := deepCopy .Values.podSecurityContext -}}
{{- if .Values.openshift -}}
{{- $ctx = omit $ctx "runAsUser" "runAsGroup" "fsGroup" -}}
{{- end -}}
{{- toYaml $ctx -}}
{{- end -}}

{{- define "liftoff.containerSecurityContext" -}}
{{- $ctx := deepCopy .Values.securityContext -}}
{{- if .Values.openshift -}}
{{- $ctx = omit $ctx "runAsUser" "runAsGroup" -}}
{{- end -}}
{{- toYaml $ctx -}}
{{- end -}}
