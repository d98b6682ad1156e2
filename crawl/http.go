package crawl

import (
	"bytes"
	"compress/gzip"
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"mime"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// Size limits of feeds and robots.txt files.
const (
	// FeedMaxBytes is the least size limit of a feed or sitemap, the
	// sitemap protocol's limit.
	FeedMaxBytes   = 50 << 20
	robotsMaxBytes = 500 << 10
	// sniffBytes is how much of a body is read before deciding on its
	// content type (what http.DetectContentType looks at).
	sniffBytes = 512
	bomUTF8    = "\xEF\xBB\xBF"
)

// HTTP makes one GET request per Fetch and returns a successful answer, a
// redirect to follow (Response.Location, not followed) or a 304 to a
// conditional request. It asks for gzip and undoes it, checks the content
// type of the Kind on the Content-Type header and the first bytes, and
// stops reading a body as soon as it passes the limit of the Kind
// (ErrTooLarge; a robots.txt is cut at 500 KiB instead).
//
// Its failures are marked for Retry (see Retryable): network failures and
// timeouts (other than certificate errors and names that do not exist),
// and the statuses 408, 429 and 5xx, with their Retry-After.
type HTTP struct {
	// Client sends the requests; its CheckRedirect must stop at the first
	// redirect (http.ErrUseLastResponse), as NewClient's does.
	Client *http.Client
	// UserAgent is the User-Agent header.
	UserAgent string
	// Timeout limits one attempt, from sending the request to reading the
	// last byte of the body; it must be positive.
	Timeout time.Duration
	// MaxBytes is the size limit of a Page body after gzip is undone; a
	// Feed may be up to FeedMaxBytes or MaxBytes if larger.
	MaxBytes int64
	// Now is the clock for Retry-After dates; nil means time.Now.
	Now func() time.Time
}

// Limit returns the body size limit of kind for a Page limit of maxBytes.
func Limit(kind Kind, maxBytes int64) int64 {
	switch kind {
	case Feed:
		return max(maxBytes, FeedMaxBytes)
	case RobotsTxt:
		return robotsMaxBytes
	}
	return maxBytes
}

// NewClient returns the client HTTP uses by default: connections within
// connect, response headers within timeout, perHost idle connections per
// host, and no redirects followed (Redirects follows them, so that each
// hop is checked against robots.txt and paced). With base not nil, it
// returns a copy of base that does not follow redirects.
func NewClient(base *http.Client, connect, timeout time.Duration, perHost int) *http.Client {
	var c http.Client
	if base != nil {
		c = *base
	} else {
		c.Transport = &http.Transport{
			Proxy:                 http.ProxyFromEnvironment,
			DialContext:           (&net.Dialer{Timeout: connect, KeepAlive: 30 * time.Second}).DialContext,
			TLSHandshakeTimeout:   connect,
			ResponseHeaderTimeout: timeout,
			ExpectContinueTimeout: time.Second,
			ForceAttemptHTTP2:     true,
			MaxIdleConns:          100,
			MaxIdleConnsPerHost:   perHost,
			IdleConnTimeout:       90 * time.Second,
		}
	}
	c.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	return &c
}

// Fetch makes one request for req.
func (h *HTTP) Fetch(ctx context.Context, req *Request) (*Response, error) {
	u := req.URL
	actx, cancel := context.WithTimeout(ctx, h.Timeout)
	defer cancel()
	if b := budgetOf(ctx); b != nil {
		if end := b.start(); end.Before(time.Now().Add(h.Timeout)) {
			actx, cancel = context.WithDeadline(ctx, end)
			defer cancel()
		}
	}
	hreq, err := http.NewRequestWithContext(actx, http.MethodGet, u.String(), nil)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrBadURL, err)
	}
	hreq.Header.Set("User-Agent", h.UserAgent)
	hreq.Header.Set("Accept", acceptHeader(req.Kind))
	// Asked for explicitly (rather than left to the transport) so that a
	// body that lies about being gzip is reported, and so that MaxBytes
	// counts decompressed bytes whatever the client.
	hreq.Header.Set("Accept-Encoding", "gzip")
	cond := req.Cond
	if cond != nil && cond.URL != u.String() {
		cond = nil
	}
	if cond != nil {
		if cond.ETag != "" {
			hreq.Header.Set("If-None-Match", cond.ETag)
		}
		if cond.LastModified != "" {
			hreq.Header.Set("If-Modified-Since", cond.LastModified)
		}
	}
	resp, err := h.Client.Do(hreq)
	if err != nil {
		return nil, h.networkError(ctx, actx, "request", err)
	}
	defer resp.Body.Close()

	switch code := resp.StatusCode; {
	case isFollowedRedirect(code) && resp.Header.Get("Location") != "":
		drainBody(resp.Body)
		loc, err := u.Parse(resp.Header.Get("Location"))
		if err != nil {
			return nil, fmt.Errorf("redirect to a bad Location %q: %v", resp.Header.Get("Location"), err)
		}
		if err := CheckURL(loc); err != nil {
			return nil, fmt.Errorf("redirect to %q: %w", loc, err)
		}
		loc.Fragment, loc.RawFragment = "", ""
		return &Response{URL: u.String(), Location: loc}, nil
	case code == http.StatusNotModified && cond != nil:
		drainBody(resp.Body)
		return &Response{URL: u.String(), NotModified: true}, nil
	case code >= 200 && code < 300 && code != http.StatusNoContent && code != http.StatusResetContent && code != http.StatusPartialContent:
	default:
		drainBody(resp.Body)
		err := &StatusError{Code: code, Status: resp.Status}
		if code == http.StatusRequestTimeout || code == http.StatusTooManyRequests || code >= 500 {
			now := time.Now
			if h.Now != nil {
				now = h.Now
			}
			return nil, &attemptError{err: err, retry: true, after: parseRetryAfter(resp.Header.Get("Retry-After"), now())}
		}
		return nil, err
	}

	body, err := h.readBody(ctx, actx, resp, req.Kind)
	if err != nil {
		return nil, err
	}
	return &Response{
		URL:          u.String(),
		ContentType:  resp.Header.Get("Content-Type"),
		ETag:         resp.Header.Get("ETag"),
		LastModified: resp.Header.Get("Last-Modified"),
		Body:         body,
	}, nil
}

// isFollowedRedirect reports whether code is a redirect the Fetcher follows.
func isFollowedRedirect(code int) bool {
	switch code {
	case http.StatusMovedPermanently, http.StatusFound, http.StatusSeeOther,
		http.StatusTemporaryRedirect, http.StatusPermanentRedirect:
		return true
	}
	return false
}

// acceptHeader returns the Accept request header for kind.
func acceptHeader(kind Kind) string {
	switch kind {
	case Feed:
		return "application/rss+xml, application/atom+xml, application/feed+json, application/xml;q=0.9, text/xml;q=0.9, */*;q=0.1"
	case RobotsTxt:
		return "text/plain, */*;q=0.1"
	}
	return "text/html, application/xhtml+xml;q=0.9, */*;q=0.1"
}

// drainBody reads a little of an unwanted body so that the connection can be
// reused; a longer body is left, and closing it closes the connection.
func drainBody(r io.Reader) {
	_, _ = io.Copy(io.Discard, io.LimitReader(r, 4<<10))
}

// networkError classifies a request or body read failure: a timeout of the
// attempt (ErrTimeout) and most network errors are marked for a retry;
// certificate errors and unknown hosts are not. When ctx itself is done, it
// returns ctx.Err(); when the URL's Deadline has passed, a *DeadlineError.
func (h *HTTP) networkError(ctx, actx context.Context, op string, err error) error {
	if ctx.Err() != nil {
		return ctx.Err()
	}
	var ue *url.Error
	if errors.As(err, &ue) {
		err = ue.Err
	}
	var ne net.Error
	if b := budgetOf(ctx); b != nil && b.expired(0) {
		return &DeadlineError{Deadline: b.d}
	}
	retry := func(err error) error { return &attemptError{err: err, retry: true, after: -1} }
	if errors.Is(actx.Err(), context.DeadlineExceeded) || (errors.As(err, &ne) && ne.Timeout()) {
		return retry(fmt.Errorf("%w: no complete answer within %v (%s)", ErrTimeout, h.Timeout, op))
	}
	var dns *net.DNSError
	if errors.As(err, &dns) {
		// A name that does not exist stays so; a failing resolver may
		// recover.
		err = fmt.Errorf("%w: %w", ErrDNS, err)
		if dns.IsNotFound {
			return err
		}
		return retry(err)
	}
	if errors.Is(err, syscall.ECONNREFUSED) || errors.Is(err, syscall.EHOSTUNREACH) ||
		errors.Is(err, syscall.ENETUNREACH) || errors.Is(err, syscall.EHOSTDOWN) {
		return retry(fmt.Errorf("%w: %w", ErrUnreachable, err))
	}
	var unknownAuthority x509.UnknownAuthorityError
	var hostname x509.HostnameError
	var invalid x509.CertificateInvalidError
	var verify *tls.CertificateVerificationError
	if errors.As(err, &unknownAuthority) ||
		errors.As(err, &hostname) || errors.As(err, &invalid) || errors.As(err, &verify) {
		return err
	}
	if op == "request" {
		return retry(err)
	}
	return retry(fmt.Errorf("%s: %w", op, err))
}

// errTrackReader remembers the first error of the reader it wraps other than
// io.EOF, to tell network failures from gzip format errors.
type errTrackReader struct {
	r   io.Reader
	err error
}

func (t *errTrackReader) Read(p []byte) (int, error) {
	n, err := t.r.Read(p)
	if err != nil && err != io.EOF && t.err == nil {
		t.err = err
	}
	return n, err
}

// readBody reads the body of a successful response, undoing gzip, checking
// the content type on its first bytes and the size limit while reading.
// Errors worth a retry are marked for Retry.
func (h *HTTP) readBody(ctx, actx context.Context, resp *http.Response, kind Kind) ([]byte, error) {
	limit := Limit(kind, h.MaxBytes)
	ct := resp.Header.Get("Content-Type")
	mt := fetchMediaType(ct)
	if kind == Page && !maybeHTMLMediaType(mt) {
		return nil, fmt.Errorf("%w: %s is not HTML", ErrContentType, mt)
	}
	if kind == Feed && isBinaryMediaType(mt) {
		return nil, fmt.Errorf("%w: %s is not a feed or sitemap", ErrContentType, mt)
	}
	ce := strings.ToLower(strings.TrimSpace(resp.Header.Get("Content-Encoding")))
	if resp.ContentLength > limit && kind != RobotsTxt && (ce == "" || ce == "identity") {
		return nil, fmt.Errorf("%w: Content-Length %d is over the limit of %d bytes", ErrTooLarge, resp.ContentLength, limit)
	}

	tr := &errTrackReader{r: resp.Body}
	var r io.Reader = tr
	gz := false
	switch ce {
	case "", "identity":
	case "gzip", "x-gzip":
		gz = true
	default:
		return nil, fmt.Errorf("%w: %q was not asked for", ErrEncoding, ce)
	}
	// readErr classifies a read failure: when the connection is fine (the
	// body reader saw no error) the gzip stream itself is bad, truncated
	// streams included; otherwise it is a network failure or a timeout.
	readErr := func(err error) error {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		if gz && tr.err == nil && actx.Err() == nil {
			return fmt.Errorf("%w: not valid gzip: %v", ErrEncoding, err)
		}
		return h.networkError(ctx, actx, "reading body", err)
	}
	if gz {
		zr, err := gzip.NewReader(tr)
		if err == io.EOF && tr.err == nil {
			return nil, fmt.Errorf("%w: empty gzip body", ErrEncoding)
		}
		if err != nil {
			return nil, readErr(err)
		}
		defer zr.Close()
		r = zr
	}

	lr := io.LimitReader(r, limit+1)
	buf := bytes.NewBuffer(make([]byte, 0, min(max(resp.ContentLength, sniffBytes), limit+1, 1<<20)))
	if _, err := io.CopyN(buf, lr, sniffBytes); err != nil && err != io.EOF {
		return nil, readErr(err)
	}
	head := buf.Bytes()
	switch kind {
	case Page:
		if err := checkHTMLContent(mt, head); err != nil {
			return nil, err
		}
	case Feed:
		if err := checkFeedContent(mt, head); err != nil {
			return nil, err
		}
	}
	if _, err := io.Copy(buf, lr); err != nil {
		return nil, readErr(err)
	}
	if int64(buf.Len()) > limit {
		if kind == RobotsTxt {
			// Google reads the first 500 KiB of a robots.txt and ignores the rest.
			return buf.Bytes()[:limit], nil
		}
		return nil, fmt.Errorf("%w: body is over the limit of %d bytes", ErrTooLarge, limit)
	}
	return buf.Bytes(), nil
}

// fetchMediaType returns the lower-case media type of a Content-Type header
// value, or "" when it is missing or unparsable.
func fetchMediaType(ct string) string {
	mt, _, err := mime.ParseMediaType(ct)
	if err != nil {
		if i := strings.IndexByte(ct, ';'); i >= 0 {
			ct = ct[:i]
		}
		mt = strings.TrimSpace(ct)
		if strings.Count(mt, "/") != 1 {
			return ""
		}
	}
	return strings.ToLower(mt)
}

// maybeHTMLMediaType reports whether a page with declared media type mt may be
// HTML: it is an HTML type, or one servers commonly get wrong (any text/*
// type, XML, octet-stream, or none), to be settled by sniffing.
func maybeHTMLMediaType(mt string) bool {
	switch mt {
	case "", "text/html", "application/xhtml+xml", "application/xml", "application/octet-stream", "binary/octet-stream":
		return true
	}
	return strings.HasPrefix(mt, "text/")
}

// isBinaryMediaType reports whether mt is a media type that is never text.
func isBinaryMediaType(mt string) bool {
	for _, p := range []string{"image/", "audio/", "video/", "font/", "model/"} {
		if strings.HasPrefix(mt, p) {
			return true
		}
	}
	switch mt {
	case "application/pdf", "application/zip", "application/wasm", "application/msword", "application/vnd.ms-excel":
		return true
	}
	return false
}

// sniffMediaType returns the media type http.DetectContentType finds in
// head, after a UTF-8 byte order mark.
func sniffMediaType(head []byte) string {
	head = bytes.TrimPrefix(head, []byte(bomUTF8))
	return fetchMediaType(http.DetectContentType(head))
}

// checkHTMLContent decides whether a page body starting with head, declared
// as mt, is HTML. An HTML declaration is believed unless the bytes are
// clearly not text (an image, an archive, binary data); any other
// declaration is believed only when the bytes look like HTML.
func checkHTMLContent(mt string, head []byte) error {
	sniffed := sniffMediaType(head)
	switch mt {
	case "text/html", "application/xhtml+xml":
		if strings.HasPrefix(sniffed, "text/") {
			return nil
		}
		return fmt.Errorf("%w: served as %s but the content is %s", ErrContentType, mt, sniffed)
	}
	if sniffed == "text/html" || (sniffed == "text/xml" && looksXHTML(head)) {
		return nil
	}
	if mt == "" {
		return fmt.Errorf("%w: no Content-Type and the content is %s, not HTML", ErrContentType, sniffed)
	}
	return fmt.Errorf("%w: %s is not HTML", ErrContentType, mt)
}

// looksXHTML reports whether an XML document starting with head has an
// <html> root.
func looksXHTML(head []byte) bool {
	return bytes.Contains(bytes.ToLower(head), []byte("<html"))
}

// checkFeedContent decides whether a body starting with head, declared as
// mt, may be a feed or a sitemap: text of any declared type, or gzip.
func checkFeedContent(mt string, head []byte) error {
	sniffed := sniffMediaType(head)
	if strings.HasPrefix(sniffed, "text/") || sniffed == "application/x-gzip" {
		return nil
	}
	if mt == "" {
		mt = "no Content-Type"
	}
	return fmt.Errorf("%w: %s, content is %s, not a feed or sitemap", ErrContentType, mt, sniffed)
}

// parseRetryAfter returns the wait a Retry-After header value asks for,
// in seconds or as an HTTP date, at most 2³¹ seconds, or -1 when v is
// empty or invalid.
func parseRetryAfter(v string, now time.Time) time.Duration {
	v = strings.TrimSpace(v)
	if v == "" {
		return -1
	}
	const most = 1 << 31 * time.Second // a cap before MaxWait's, against overflow
	if secs, err := strconv.ParseInt(v, 10, 64); err == nil {
		if secs < 0 {
			return -1
		}
		return min(time.Duration(min(secs, 1<<31))*time.Second, most)
	}
	if t, err := http.ParseTime(v); err == nil {
		// A date centuries ahead saturates Sub at the largest Duration.
		return min(max(t.Sub(now), 0), most)
	}
	return -1
}
