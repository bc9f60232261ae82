package rest

// routes registers every area's endpoints. Each area file starts with a
// routes function that lists its endpoints, so the whole API can be read
// area by area.
func (a *API) routes() {
	a.infoRoutes()
	a.authRoutes()
	a.userRoutes()
	a.settingsRoutes()
	a.permissionRoutes()
	a.chatRoutes()
	a.historyRoutes()
	a.channelRoutes()
	a.imRoutes()
	a.roomRoutes()
	a.subscriptionRoutes()
	a.teamRoutes()
	a.directoryRoutes()
	a.integrationRoutes()
}
