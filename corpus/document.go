// Package corpus reads news documents from files, folders, JSONL dumps and
// standard input, and gives each a stable identity.
//
// A Reader yields one Document at a time. Bad input (an empty or binary file,
// invalid UTF-8, an oversized file, a dump line that is not JSON) never stops
// a batch: Next returns an *InputError naming the input and the reason, and the
// caller records it and calls Next again.
//
// Size: one file per input format (files and folders, dumps, WARC, feeds
// and sitemaps, fetched pages) plus OpenInputs, which combines them in
// input order; fetching itself is package crawl.
package corpus

import "time"

// Document is one article as read from its source, before text extraction.
//
// Exactly one of Text and HTML is normally set: Text for plain-text sources
// (.txt, .md, a dump record with "text"), HTML for markup (.html, .htm, a dump
// record with "html"). Documents are values; the reader that returns one does
// not keep or modify it afterwards.
type Document struct {
	// ID is the dump record's "id" when it has one, otherwise a stable hash
	// of the normalized content (see ContentID), so re-reading the same
	// article gives the same ID.
	ID string
	// IDFromContent is set when ID was made by ContentID, of the content
	// (or, for a fetched page, of its final URL) rather than given by the
	// source: two documents with the same such ID are copies of one.
	IDFromContent bool
	// Source is where the document came from, as the user gave it: a file
	// path, or for a dump record the dump's path, "#", and the record's id
	// (or its line number when it has no id).
	Source string
	// URL is the article's address when known.
	URL string
	// Title is the headline when known.
	Title string
	// Outlet is the publisher's name when known ("BBC News").
	Outlet string
	// Published is the publication time; the zero Time when unknown.
	Published time.Time
	// Captured is set when Published is the time a crawler captured the
	// page (a WARC record's WARC-Date) rather than a date the source
	// declares: the page's own date, when it has one, is the better one,
	// as a crawl captures last week's articles beside today's.
	Captured bool
	// BadPublished is the publication date as the source gave it when it
	// was present but could not be understood (a dump record's "published"
	// of "sometime in March", a malformed WARC-Date), trimmed; Published is
	// then zero. It is "" when the date was understood or absent. The
	// document is read all the same: a bad date never drops an article,
	// but the caller can say so.
	BadPublished string
	// Text is the plain text of the article, valid UTF-8.
	Text string
	// HTML is the raw markup of the article, decoded to UTF-8.
	HTML string
}
