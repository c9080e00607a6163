/* JSON-RPC 2.0 framing and envelope, shared by daemon, client and tests. */
#include <stdlib.h>
#include <string.h>

#include "wire.h"
#include "xmalloc.h"

enum wire_frame
wire_frame_find(const char *data, size_t len, size_t max, size_t *line_len)
{
	size_t		 scan = len < max + 1 ? len : max + 1;
	const char	*lf = memchr(data, '\n', scan);

	if (lf != NULL) {
		*line_len = (size_t)(lf - data);
		return WIRE_FRAME_LINE;
	}
	if (len > max)
		return WIRE_FRAME_TOO_LONG;
	return WIRE_FRAME_INCOMPLETE;
}

/* True if id is a valid JSON-RPC id for us: a number or a string. */
static int
wire_id_valid(json_t *id)
{
	return json_is_number(id) || json_is_string(id);
}

int
wire_request_parse(const char *line, size_t len, struct wire_request *req,
    struct kl_error *err)
{
	json_error_t	 jerr;
	json_t		*id, *version, *method, *params;

	memset(req, 0, sizeof *req);
	if (len > 0 && line[len - 1] == '\r')
		len--;
	req->root = json_loadb(line, len, JSON_REJECT_DUPLICATES | JSON_DECODE_ANY,
	    &jerr);
	if (req->root == NULL)
		return kl_error_set(err, KL_ERR_PARSE, "parse error: %s",
		    jerr.text);
	if (json_is_array(req->root))
		return kl_error_set(err, KL_ERR_INVALID_REQUEST,
		    "batch requests are not supported");
	if (!json_is_object(req->root))
		return kl_error_set(err, KL_ERR_INVALID_REQUEST,
		    "a request must be a JSON object");

	id = json_object_get(req->root, "id");
	if (id != NULL && !wire_id_valid(id))
		return kl_error_set(err, KL_ERR_INVALID_REQUEST,
		    "id must be a number or a string");
	req->id = id;

	version = json_object_get(req->root, "jsonrpc");
	if (!json_is_string(version) ||
	    strcmp(json_string_value(version), "2.0") != 0)
		return kl_error_set(err, KL_ERR_INVALID_REQUEST,
		    "jsonrpc must be \"2.0\"");
	method = json_object_get(req->root, "method");
	if (!json_is_string(method))
		return kl_error_set(err, KL_ERR_INVALID_REQUEST,
		    "method must be a string");
	req->method = json_string_value(method);

	params = json_object_get(req->root, "params");
	if (params == NULL) {
		params = json_object();
		json_object_set_new(req->root, "params", params);
	}
	if (json_is_array(params))
		return kl_error_set(err, KL_ERR_PARAMS,
		    "params must be an object (by name)");
	if (!json_is_object(params))
		return kl_error_set(err, KL_ERR_INVALID_REQUEST,
		    "params must be an object");
	req->params = params;
	return 0;
}

void
wire_request_free(struct wire_request *req)
{
	json_decref(req->root);
	memset(req, 0, sizeof *req);
}

/* A first guess at a reply's size: most replies fit, so one dump does. */
#define WIRE_REPLY_GUESS 1024

/*
 * Serialise a reply object as one line ending in LF. Dumping is most of
 * a reply's cost, so dump once into a buffer of a likely size and again
 * only when the reply turned out bigger.
 */
static char *
wire_dump_line(json_t *reply, size_t *len)
{
	char	*line = xmalloc(WIRE_REPLY_GUESS);
	size_t	 n = json_dumpb(reply, line, WIRE_REPLY_GUESS - 1,
		    JSON_COMPACT);

	if (n > WIRE_REPLY_GUESS - 1) {
		line = xreallocarray(line, n + 1, 1);
		json_dumpb(reply, line, n, JSON_COMPACT);
	}
	line[n] = '\n';
	*len = n + 1;
	return line;
}

char *
wire_reply_result(json_t *id, json_t *result, size_t *len)
{
	json_t	*reply;
	char	*line;

	reply = json_pack("{s:s, s:O, s:O}", "jsonrpc", "2.0",
	    "id", id != NULL ? id : json_null(), "result", result);
	line = wire_dump_line(reply, len);
	json_decref(reply);
	return line;
}

/* Length of the valid UTF-8 character at s (RFC 3629), 0 if invalid. */
static size_t
wire_utf8_char(const unsigned char *s)
{
	unsigned	cp, n, i;

	if (s[0] < 0x80)
		return 1;
	if (s[0] >= 0xc2 && s[0] <= 0xdf) {
		n = 2;
		cp = s[0] & 0x1f;
	} else if (s[0] >= 0xe0 && s[0] <= 0xef) {
		n = 3;
		cp = s[0] & 0x0f;
	} else if (s[0] >= 0xf0 && s[0] <= 0xf4) {
		n = 4;
		cp = s[0] & 0x07;
	} else
		return 0;
	for (i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = (cp << 6) | (s[i] & 0x3f);
	}
	if ((n == 3 && cp < 0x800) || (n == 4 && cp < 0x10000) ||
	    cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	return n;
}

/*
 * An error message as a JSON string. Messages quote user input and are
 * cut to a fixed size ("%.64s", the 256-byte buffer), which can split a
 * UTF-8 character; jansson refuses such a string and the reply would be
 * lost, so invalid bytes become '?'.
 */
static json_t *
wire_error_message(const char *message)
{
	json_t	*string = json_string(message);
	char	*copy;
	size_t	 i, n;

	if (string != NULL)
		return string;
	copy = xstrdup(message);
	for (i = 0; copy[i] != '\0'; i += n) {
		n = wire_utf8_char((const unsigned char *)copy + i);
		if (n == 0) {
			copy[i] = '?';
			n = 1;
		}
	}
	string = json_string(copy);
	free(copy);
	return string;
}

char *
wire_reply_error(json_t *id, const struct kl_error *err, size_t *len)
{
	json_t	*reply;
	char	*line;

	reply = json_pack("{s:s, s:O, s:{s:i, s:o}}", "jsonrpc", "2.0",
	    "id", id != NULL ? id : json_null(),
	    "error", "code", err->code,
	    "message", wire_error_message(err->message));
	line = wire_dump_line(reply, len);
	json_decref(reply);
	return line;
}

char *
wire_request_format(json_int_t id, const char *method, json_t *params,
    size_t *len)
{
	json_t	*request;
	char	*line;

	request = json_pack("{s:s, s:I, s:s}", "jsonrpc", "2.0", "id", id,
	    "method", method);
	if (params != NULL)
		json_object_set(request, "params", params);
	line = wire_dump_line(request, len);
	json_decref(request);
	return line;
}

int
wire_response_parse(const char *line, size_t len, json_int_t expect_id,
    json_t **result, struct kl_error *err)
{
	json_error_t	 jerr;
	json_t		*reply, *id, *res, *error, *code, *message;
	int		 rc = -1;

	*result = NULL;
	reply = json_loadb(line, len, 0, &jerr);
	if (reply == NULL)
		return kl_error_set(err, KL_ERR_PARSE,
		    "malformed reply from kindlogd: %s", jerr.text);
	id = json_object_get(reply, "id");
	res = json_object_get(reply, "result");
	error = json_object_get(reply, "error");
	if (!json_is_integer(id) || json_integer_value(id) != expect_id) {
		kl_error_set(err, KL_ERR_INVALID_REQUEST,
		    "reply from kindlogd does not match the request");
		if (json_is_object(error) && json_is_null(id))
			goto error;	/* the daemon refused the line itself */
		goto out;
	}
	if (res != NULL) {
		*result = json_incref(res);
		rc = 0;
		goto out;
	}
error:
	code = json_object_get(error, "code");
	message = json_object_get(error, "message");
	if (json_is_integer(code) && json_is_string(message))
		kl_error_set(err, (int)json_integer_value(code), "%s",
		    json_string_value(message));
	else
		kl_error_set(err, KL_ERR_INVALID_REQUEST,
		    "malformed reply from kindlogd");
out:
	json_decref(reply);
	return rc;
}
