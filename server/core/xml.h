/*
 * server/core/xml.h: XML 1.0 text escaping for the XML renderer. The
 * output of these functions is always well-formed character data: every
 * byte sequence in, however broken, gives only characters the XML 1.0 Char
 * production (§2.2) allows out; what is a character is utf8_decode()'s
 * answer. Pure functions over a strbuf; thread-safe as long as each
 * thread uses its own buffer.
 */
#ifndef SERVER_XML_H
#define SERVER_XML_H

#include <stddef.h>

struct strbuf;

/*
 * Append the @n bytes at @s (need not be NUL-terminated, may contain NUL)
 * as element content:
 *   - '&', '<', '>' become &amp; &lt; &gt; (so "]]>" can never appear);
 *   - CR becomes &#xD; so that it survives end-of-line normalisation
 *     (XML 1.0 §2.11); tab and LF stay raw; '"' and '\'' stay raw, as
 *     .NET's XmlWriter writes them in text;
 *   - characters XML 1.0 cannot carry at all, not even as character
 *     references (C0 controls other than tab/LF/CR, U+FFFE, U+FFFF), and
 *     bytes that are not UTF-8 (stray continuation bytes, overlongs,
 *     surrogates, > U+10FFFF, truncated sequences) become U+FFFD, one per
 *     offending byte.
 * Failure (out of memory, past the cap) is recorded in the strbuf.
 */
void xml_escape(struct strbuf *out, const char *s, size_t n);

/*
 * The same for an attribute value in double quotes: additionally '"' is
 * &quot;, and tab and LF are &#x9; and &#xA; so attribute-value
 * normalisation (XML 1.0 §3.3.3) does not turn them into spaces.
 */
void xml_escape_attr(struct strbuf *out, const char *s, size_t n);

#endif
