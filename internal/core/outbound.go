package core

import (
	"errors"
	"net"
	"net/http"
	"net/netip"
	"syscall"
	"time"
)

// The server calls other hosts on its users' behalf: outgoing webhooks,
// the HTTP helper of integration scripts, and avatars set from a URL. An
// address policy (Config.AllowOutbound) decides which addresses those
// calls may reach; it is checked on the address actually dialled, after
// DNS and on every redirect, so a name that resolves to an internal
// address, or a redirect to one, is refused too.

// errAddressRefused is the dial error for an address the policy refuses.
var errAddressRefused = errors.New("address not allowed for outbound calls (LIFTOFF_OUTBOUND_PRIVATE=deny)")

// PublicAddress reports whether a is an address on the public internet:
// not loopback, private (RFC 1918, unique local), shared (100.64.0.0/10,
// carrier-grade NAT), link-local (which includes cloud metadata services
// at 169.254.169.254), unspecified or multicast. It is the policy of
// LIFTOFF_OUTBOUND_PRIVATE=deny.
func PublicAddress(a netip.Addr) bool {
	a = a.Unmap()
	return a.IsValid() && !a.IsLoopback() && !a.IsPrivate() && !sharedAddressSpace.Contains(a) &&
		!a.IsLinkLocalUnicast() && !a.IsLinkLocalMulticast() && !a.IsInterfaceLocalMulticast() &&
		!a.IsUnspecified() && !a.IsMulticast()
}

var sharedAddressSpace = netip.MustParsePrefix("100.64.0.0/10")

// outboundTransport returns a transport whose dials time out after
// timeout and, with a policy, reach only the addresses it allows. With a
// policy no proxy is used, so that the policy sees the real target.
func outboundTransport(timeout time.Duration, allow func(netip.Addr) bool) *http.Transport {
	d := &net.Dialer{Timeout: timeout}
	proxy := http.ProxyFromEnvironment
	if allow != nil {
		proxy = nil
		d.Control = func(_, address string, _ syscall.RawConn) error {
			ap, err := netip.ParseAddrPort(address)
			if err != nil || !allow(ap.Addr().Unmap()) {
				return errAddressRefused
			}
			return nil
		}
	}
	return &http.Transport{
		Proxy: proxy, DialContext: d.DialContext, TLSHandshakeTimeout: timeout,
		MaxIdleConnsPerHost: 4, IdleConnTimeout: 30 * time.Second,
	}
}
