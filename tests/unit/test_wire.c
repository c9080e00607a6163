/* Unit tests for common/wire.c: framing, request parsing, exact reply bytes. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "wire.h"
#include "xmalloc.h"

/* Parse a NUL-terminated request line; returns wire_request_parse's result. */
static int
parse(const char *line, struct wire_request *req, struct kl_error *err)
{
	memset(err, 0, sizeof *err);
	return wire_request_parse(line, strlen(line), req, err);
}

/* Assert that line is refused with code; the id read (if any) must match. */
static void
assert_request_error(const char *line, int code, const char *want_id)
{
	struct wire_request	 req;
	struct kl_error		 err;
	char			*id;

	if (parse(line, &req, &err) != -1)
		fail_msg("accepted: %s", line);
	if (err.code != code)
		fail_msg("code %d, want %d for: %s", err.code, code, line);
	assert_true(strlen(err.message) > 0);
	if (want_id == NULL)
		assert_null(req.id);
	else {
		assert_non_null(req.id);
		id = json_dumps(req.id, JSON_ENCODE_ANY | JSON_COMPACT);
		assert_string_equal(id, want_id);
		free(id);
	}
	wire_request_free(&req);
}

static void
test_frame_partial(void **state)
{
	size_t	len = 999;

	(void)state;
	assert_int_equal(wire_frame_find("", 0, 16, &len),
	    WIRE_FRAME_INCOMPLETE);
	assert_int_equal(wire_frame_find("{\"a\":1", 6, 16, &len),
	    WIRE_FRAME_INCOMPLETE);
	assert_int_equal(len, 999);
	/* Exactly max bytes and no LF yet: may still become a line. */
	assert_int_equal(wire_frame_find("0123456789abcdef", 16, 16, &len),
	    WIRE_FRAME_INCOMPLETE);
}

static void
test_frame_lines(void **state)
{
	const char	*data = "{\"a\":1}\n{\"b\":2}\n{\"c\"";
	size_t		 len = 0;

	(void)state;
	assert_int_equal(wire_frame_find(data, strlen(data), 64, &len),
	    WIRE_FRAME_LINE);
	assert_int_equal(len, 7);
	assert_int_equal(data[len], '\n');
	/* The next line starts after the LF. */
	assert_int_equal(wire_frame_find(data + 8, strlen(data + 8), 64, &len),
	    WIRE_FRAME_LINE);
	assert_int_equal(len, 7);
	assert_int_equal(wire_frame_find(data + 16, strlen(data + 16), 64,
	    &len), WIRE_FRAME_INCOMPLETE);
	/* An empty line. */
	assert_int_equal(wire_frame_find("\nxyz", 4, 64, &len),
	    WIRE_FRAME_LINE);
	assert_int_equal(len, 0);
	/* A NUL byte does not end the search. */
	assert_int_equal(wire_frame_find("a\0b\n", 4, 64, &len),
	    WIRE_FRAME_LINE);
	assert_int_equal(len, 3);
}

static void
test_frame_limits(void **state)
{
	size_t	 max = WIRE_MAX_LINE, len = 0;
	char	*buf = xmalloc(max + 16);

	(void)state;
	memset(buf, 'x', max + 16);

	/* Exactly max bytes, then LF: a line. */
	buf[max] = '\n';
	assert_int_equal(wire_frame_find(buf, max + 1, max, &len),
	    WIRE_FRAME_LINE);
	assert_int_equal(len, max);
	/* Also when more data follows. */
	assert_int_equal(wire_frame_find(buf, max + 16, max, &len),
	    WIRE_FRAME_LINE);
	assert_int_equal(len, max);

	/* max + 1 bytes and no LF: too long, no need to wait. */
	buf[max] = 'x';
	assert_int_equal(wire_frame_find(buf, max + 1, max, &len),
	    WIRE_FRAME_TOO_LONG);
	/* max bytes and no LF: still incomplete. */
	assert_int_equal(wire_frame_find(buf, max, max, &len),
	    WIRE_FRAME_INCOMPLETE);
	/* max + 1 bytes, then LF: too long even though the LF is there. */
	buf[max + 1] = '\n';
	assert_int_equal(wire_frame_find(buf, max + 2, max, &len),
	    WIRE_FRAME_TOO_LONG);
	buf[max + 1] = 'x';
	buf[max + 10] = '\n';
	assert_int_equal(wire_frame_find(buf, max + 16, max, &len),
	    WIRE_FRAME_TOO_LONG);
	free(buf);
}

static void
test_request_number_id(void **state)
{
	struct wire_request	req;
	struct kl_error		err;

	(void)state;
	assert_int_equal(parse("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"add\","
	    "\"params\":{\"text\":\"made me coffee\",\"tags\":[\"morning\"]}}",
	    &req, &err), 0);
	assert_true(json_is_integer(req.id));
	assert_int_equal(json_integer_value(req.id), 1);
	assert_string_equal(req.method, "add");
	assert_true(json_is_object(req.params));
	assert_int_equal(json_object_size(req.params), 2);
	assert_string_equal(json_string_value(json_object_get(req.params,
	    "text")), "made me coffee");
	wire_request_free(&req);
	assert_null(req.root);
	assert_null(req.id);
}

static void
test_request_string_id(void **state)
{
	struct wire_request	req;
	struct kl_error		err;

	(void)state;
	assert_int_equal(parse("{\"method\":\"version\",\"id\":\"abc\","
	    "\"jsonrpc\":\"2.0\"}", &req, &err), 0);
	assert_true(json_is_string(req.id));
	assert_string_equal(json_string_value(req.id), "abc");
	assert_string_equal(req.method, "version");
	/* Absent params: an empty object. */
	assert_true(json_is_object(req.params));
	assert_int_equal(json_object_size(req.params), 0);
	wire_request_free(&req);
}

static void
test_request_notification(void **state)
{
	struct wire_request	req;
	struct kl_error		err;

	(void)state;
	assert_int_equal(parse("{\"jsonrpc\":\"2.0\",\"method\":\"reload\","
	    "\"params\":{}}", &req, &err), 0);
	assert_null(req.id);
	assert_string_equal(req.method, "reload");
	assert_true(json_is_object(req.params));
	assert_int_equal(json_object_size(req.params), 0);
	wire_request_free(&req);
}

static void
test_request_trailing_cr(void **state)
{
	struct wire_request	req;
	struct kl_error		err;

	(void)state;
	assert_int_equal(parse("{\"jsonrpc\":\"2.0\",\"id\":9,\"method\":\"x\"}"
	    "\r", &req, &err), 0);
	assert_int_equal(json_integer_value(req.id), 9);
	assert_string_equal(req.method, "x");
	wire_request_free(&req);
}

/* Only the given length is read, not up to a NUL. */
static void
test_request_length_bounded(void **state)
{
	const char		*line = "{\"jsonrpc\":\"2.0\",\"id\":3,"
	    "\"method\":\"x\"}GARBAGE";
	struct wire_request	 req;
	struct kl_error		 err;

	(void)state;
	assert_int_equal(wire_request_parse(line, strlen(line) - 7, &req,
	    &err), 0);
	assert_int_equal(json_integer_value(req.id), 3);
	wire_request_free(&req);
	assert_int_equal(wire_request_parse(line, strlen(line), &req, &err),
	    -1);
	assert_int_equal(err.code, KL_ERR_PARSE);
	wire_request_free(&req);
}

static void
test_request_params_errors(void **state)
{
	(void)state;
	assert_request_error("{\"jsonrpc\":\"2.0\",\"id\":4,\"method\":\"add\","
	    "\"params\":[\"text\"]}", KL_ERR_PARAMS, "4");
	assert_request_error("{\"jsonrpc\":\"2.0\",\"id\":4,\"method\":\"add\","
	    "\"params\":\"text\"}", KL_ERR_INVALID_REQUEST, "4");
	assert_request_error("{\"jsonrpc\":\"2.0\",\"id\":4,\"method\":\"add\","
	    "\"params\":null}", KL_ERR_INVALID_REQUEST, "4");
	assert_request_error("{\"jsonrpc\":\"2.0\",\"id\":4,\"method\":\"add\","
	    "\"params\":5}", KL_ERR_INVALID_REQUEST, "4");
}

static void
test_request_envelope_errors(void **state)
{
	(void)state;
	/* Batches are refused. */
	assert_request_error("[{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"x\"}]",
	    KL_ERR_INVALID_REQUEST, NULL);
	assert_request_error("[]", KL_ERR_INVALID_REQUEST, NULL);
	/* Wrong or missing version; the id is still known for the reply. */
	assert_request_error("{\"jsonrpc\":\"1.0\",\"id\":5,\"method\":\"x\"}",
	    KL_ERR_INVALID_REQUEST, "5");
	assert_request_error("{\"jsonrpc\":2.0,\"id\":5,\"method\":\"x\"}",
	    KL_ERR_INVALID_REQUEST, "5");
	assert_request_error("{\"id\":\"q\",\"method\":\"x\"}",
	    KL_ERR_INVALID_REQUEST, "\"q\"");
	/* Method must be a string. */
	assert_request_error("{\"jsonrpc\":\"2.0\",\"id\":6,\"method\":7}",
	    KL_ERR_INVALID_REQUEST, "6");
	assert_request_error("{\"jsonrpc\":\"2.0\",\"id\":6}",
	    KL_ERR_INVALID_REQUEST, "6");
	assert_request_error("{\"jsonrpc\":\"2.0\",\"id\":6,\"method\":null}",
	    KL_ERR_INVALID_REQUEST, "6");
	/* Ids other than numbers and strings. */
	assert_request_error("{\"jsonrpc\":\"2.0\",\"id\":{},\"method\":\"x\"}",
	    KL_ERR_INVALID_REQUEST, NULL);
	assert_request_error("{\"jsonrpc\":\"2.0\",\"id\":null,"
	    "\"method\":\"x\"}", KL_ERR_INVALID_REQUEST, NULL);
	assert_request_error("{\"jsonrpc\":\"2.0\",\"id\":true,"
	    "\"method\":\"x\"}", KL_ERR_INVALID_REQUEST, NULL);
	assert_request_error("{\"jsonrpc\":\"2.0\",\"id\":[1],\"method\":\"x\"}",
	    KL_ERR_INVALID_REQUEST, NULL);
}

static void
test_request_parse_errors(void **state)
{
	(void)state;
	assert_request_error("", KL_ERR_PARSE, NULL);
	assert_request_error("   ", KL_ERR_PARSE, NULL);
	assert_request_error("\r", KL_ERR_PARSE, NULL);
	assert_request_error("{", KL_ERR_PARSE, NULL);
	assert_request_error("hello", KL_ERR_PARSE, NULL);
	assert_request_error("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"x\",}",
	    KL_ERR_PARSE, NULL);
	assert_request_error("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":'x'}",
	    KL_ERR_PARSE, NULL);
	/* Two objects on one line. */
	assert_request_error("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"x\"}"
	    "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"x\"}", KL_ERR_PARSE,
	    NULL);
	/* Duplicate keys are ambiguous. */
	assert_request_error("{\"jsonrpc\":\"2.0\",\"id\":1,\"id\":2,"
	    "\"method\":\"x\"}", KL_ERR_PARSE, NULL);
	assert_request_error("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"x\","
	    "\"params\":{\"a\":1,\"a\":2}}", KL_ERR_PARSE, NULL);
	/* Invalid UTF-8: a stray byte, an overlong form, a surrogate. */
	assert_request_error("{\"jsonrpc\":\"2.0\",\"id\":1,"
	    "\"method\":\"\xff\"}", KL_ERR_PARSE, NULL);
	assert_request_error("{\"jsonrpc\":\"2.0\",\"id\":1,"
	    "\"method\":\"\xc0\xaf\"}", KL_ERR_PARSE, NULL);
	assert_request_error("{\"jsonrpc\":\"2.0\",\"id\":1,"
	    "\"method\":\"\xed\xa0\x80\"}", KL_ERR_PARSE, NULL);
	assert_request_error("{\"jsonrpc\":\"2.0\",\"id\":1,"
	    "\"method\":\"\xe2\x82\"}", KL_ERR_PARSE, NULL);
	/* An escaped lone surrogate is not a character either. */
	assert_request_error("{\"jsonrpc\":\"2.0\",\"id\":1,"
	    "\"method\":\"\\ud800\"}", KL_ERR_PARSE, NULL);
	/* A raw control character inside a string. */
	assert_request_error("{\"jsonrpc\":\"2.0\",\"id\":1,"
	    "\"method\":\"a\tb\"}", KL_ERR_PARSE, NULL);
}

static void
test_request_valid_json_not_object(void **state)
{
	(void)state;
	/* Valid JSON that is not a request object: invalid request. */
	assert_request_error("\"version\"", KL_ERR_INVALID_REQUEST, NULL);
	assert_request_error("1", KL_ERR_INVALID_REQUEST, NULL);
	assert_request_error("null", KL_ERR_INVALID_REQUEST, NULL);
	assert_request_error("true", KL_ERR_INVALID_REQUEST, NULL);
}

static void
test_request_nul_byte(void **state)
{
	static const char	 inside[] = "{\"jsonrpc\":\"2.0\",\"id\":1,"
	    "\"method\":\"a\0b\"}";
	static const char	 after[] = "{\"jsonrpc\":\"2.0\",\"id\":1,"
	    "\"method\":\"ab\"}\0";
	static const char	 between[] = "{\"jsonrpc\":\"2.0\",\0\"id\":1,"
	    "\"method\":\"ab\"}";
	struct wire_request	 req;
	struct kl_error		 err;

	(void)state;
	assert_int_equal(wire_request_parse(inside, sizeof inside - 1, &req,
	    &err), -1);
	assert_int_equal(err.code, KL_ERR_PARSE);
	wire_request_free(&req);
	assert_int_equal(wire_request_parse(after, sizeof after - 1, &req,
	    &err), -1);
	assert_int_equal(err.code, KL_ERR_PARSE);
	wire_request_free(&req);
	assert_int_equal(wire_request_parse(between, sizeof between - 1, &req,
	    &err), -1);
	assert_int_equal(err.code, KL_ERR_PARSE);
	wire_request_free(&req);
}

static void
test_request_deep_nesting(void **state)
{
	static const char	 prefix[] = "{\"jsonrpc\":\"2.0\",\"id\":1,"
	    "\"method\":\"x\",\"params\":{\"a\":";
	size_t			 n = 100000, i;
	char			*line = xmalloc(2 * n + 64);
	struct wire_request	 req;
	struct kl_error		 err;

	(void)state;
	memset(line, '[', n);
	assert_int_equal(wire_request_parse(line, n, &req, &err), -1);
	assert_int_equal(err.code, KL_ERR_PARSE);
	wire_request_free(&req);

	/* Balanced, deep params inside an otherwise valid request. */
	i = strlen(prefix);
	memcpy(line, prefix, i);
	memset(line + i, '[', n / 2);
	memset(line + i + n / 2, ']', n / 2);
	line[i + n] = '}';
	line[i + n + 1] = '}';
	assert_int_equal(wire_request_parse(line, i + n + 2, &req, &err), -1);
	assert_int_equal(err.code, KL_ERR_PARSE);
	wire_request_free(&req);
	free(line);
}

/* Build a reply and compare its exact bytes and length. */
static void
assert_line(char *line, const size_t *len, const char *want)
{
	assert_non_null(line);
	assert_int_equal(*len, strlen(want));
	assert_memory_equal(line, want, *len);
	free(line);
}

static void
test_reply_result(void **state)
{
	json_t	*id = json_integer(7), *result = json_pack("{s:i}", "a", 1);
	json_t	*sid = json_string("abc"), *empty = json_object();
	size_t	 len = 0;

	(void)state;
	assert_line(wire_reply_result(id, result, &len), &len,
	    "{\"jsonrpc\":\"2.0\",\"id\":7,\"result\":{\"a\":1}}\n");
	/* The caller keeps its references. */
	assert_int_equal(id->refcount, 1);
	assert_int_equal(result->refcount, 1);
	assert_line(wire_reply_result(sid, empty, &len), &len,
	    "{\"jsonrpc\":\"2.0\",\"id\":\"abc\",\"result\":{}}\n");
	assert_line(wire_reply_result(NULL, empty, &len), &len,
	    "{\"jsonrpc\":\"2.0\",\"id\":null,\"result\":{}}\n");
	json_decref(result);
	result = json_pack("{s:s,s:[s,s],s:b,s:n}", "text", "caf\xc3\xa9 \"x\"",
	    "tags", "a", "b", "ok", 1, "none");
	assert_line(wire_reply_result(id, result, &len), &len,
	    "{\"jsonrpc\":\"2.0\",\"id\":7,\"result\":{\"text\":"
	    "\"caf\xc3\xa9 \\\"x\\\"\",\"tags\":[\"a\",\"b\"],\"ok\":true,"
	    "\"none\":null}}\n");
	json_decref(result);
	json_decref(id);
	json_decref(sid);
	json_decref(empty);
}

static void
test_reply_error(void **state)
{
	struct kl_error	 err;
	json_t		*id = json_integer(2);
	size_t		 len = 0;

	(void)state;
	kl_error_set(&err, KL_ERR_PARSE, "%s", "x");
	assert_line(wire_reply_error(NULL, &err, &len), &len,
	    "{\"jsonrpc\":\"2.0\",\"id\":null,\"error\":{\"code\":-32700,"
	    "\"message\":\"x\"}}\n");
	kl_error_set(&err, KL_ERR_PARAMS, "text must not be empty");
	assert_line(wire_reply_error(id, &err, &len), &len,
	    "{\"jsonrpc\":\"2.0\",\"id\":2,\"error\":{\"code\":-32602,"
	    "\"message\":\"text must not be empty\"}}\n");
	kl_error_set(&err, KL_ERR_NOT_FOUND, "no entry #%d", 42);
	assert_line(wire_reply_error(id, &err, &len), &len,
	    "{\"jsonrpc\":\"2.0\",\"id\":2,\"error\":{\"code\":1,"
	    "\"message\":\"no entry #42\"}}\n");
	kl_error_set(&err, KL_ERR_PARAMS, "bad \"tag\"\n\xc3\xa9");
	assert_line(wire_reply_error(id, &err, &len), &len,
	    "{\"jsonrpc\":\"2.0\",\"id\":2,\"error\":{\"code\":-32602,"
	    "\"message\":\"bad \\\"tag\\\"\\n\xc3\xa9\"}}\n");
	assert_int_equal(id->refcount, 1);
	json_decref(id);
}

/*
 * A message cut in the middle of a UTF-8 sequence (by "%.64s" or by the
 * message buffer's size) must still give a valid reply, not an empty line.
 */
static void
test_reply_error_invalid_utf8(void **state)
{
	struct kl_error	 err;
	json_t		*reply;
	json_error_t	 jerr;
	char		*line, name[200];
	size_t		 len = 0, i;

	(void)state;
	name[0] = 'a';
	for (i = 0; i < 90; i++)
		memcpy(name + 1 + 2 * i, "\xc3\xa9", 2);
	name[181] = '\0';
	kl_error_set(&err, KL_ERR_METHOD, "unknown method '%.64s'", name);
	line = wire_reply_error(NULL, &err, &len);
	assert_true(len > 2);
	assert_int_equal(line[len - 1], '\n');
	reply = json_loadb(line, len, 0, &jerr);
	if (reply == NULL)
		fail_msg("reply is not JSON: %s", jerr.text);
	assert_int_equal(json_integer_value(json_object_get(json_object_get(
	    reply, "error"), "code")), KL_ERR_METHOD);
	/* 'a', 31 whole characters, then the cut first byte of the 32nd. */
	for (i = 0; i < 31; i++)
		memcpy(name + 1 + 2 * i, "\xc3\xa9", 2);
	memcpy(name + 63, "?'", 3);
	assert_true(strncmp(json_string_value(json_object_get(json_object_get(
	    reply, "error"), "message")), "unknown method '", 16) == 0);
	assert_string_equal(json_string_value(json_object_get(json_object_get(
	    reply, "error"), "message")) + 16, name);
	json_decref(reply);
	free(line);

	/* Bytes that are not UTF-8 at all. */
	kl_error_set(&err, KL_ERR_STORAGE, "cannot open /tmp/\xff\xfe.db");
	line = wire_reply_error(NULL, &err, &len);
	reply = json_loadb(line, len, 0, &jerr);
	assert_non_null(reply);
	assert_int_equal(json_integer_value(json_object_get(json_object_get(
	    reply, "error"), "code")), KL_ERR_STORAGE);
	assert_string_equal(json_string_value(json_object_get(json_object_get(
	    reply, "error"), "message")), "cannot open /tmp/??.db");
	json_decref(reply);
	free(line);

	/* Overlong forms and surrogates are invalid; real characters stay. */
	kl_error_set(&err, KL_ERR_PARAMS, "\xc0\xaf|\xed\xa0\x80|"
	    "\xf0\x9f\x98\x80|\xf4\x90\x80\x80|\xe2\x82\xac");
	line = wire_reply_error(NULL, &err, &len);
	reply = json_loadb(line, len, 0, &jerr);
	assert_non_null(reply);
	assert_string_equal(json_string_value(json_object_get(json_object_get(
	    reply, "error"), "message")), "??|???|\xf0\x9f\x98\x80|????|"
	    "\xe2\x82\xac");
	json_decref(reply);
	free(line);
}

static void
test_request_format(void **state)
{
	json_t	*params = json_pack("{s:s,s:[s]}", "text", "made me coffee",
	    "tags", "morning");
	size_t	 len = 0;

	(void)state;
	assert_line(wire_request_format(1, "add", params, &len), &len,
	    "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"add\",\"params\":"
	    "{\"text\":\"made me coffee\",\"tags\":[\"morning\"]}}\n");
	assert_int_equal(params->refcount, 1);
	assert_line(wire_request_format(42, "version", NULL, &len), &len,
	    "{\"jsonrpc\":\"2.0\",\"id\":42,\"method\":\"version\"}\n");
	assert_line(wire_request_format(INT64_MAX, "remind.status", NULL,
	    &len), &len, "{\"jsonrpc\":\"2.0\",\"id\":9223372036854775807,"
	    "\"method\":\"remind.status\"}\n");
	json_decref(params);
}

/* A formatted request parses back to the same id, method and params. */
static void
test_request_round_trip(void **state)
{
	json_t			*params = json_pack("{s:i}", "id", 12);
	struct wire_request	 req;
	struct kl_error		 err;
	size_t			 len;
	char			*line;

	(void)state;
	line = wire_request_format(77, "thank", params, &len);
	assert_int_equal(wire_frame_find(line, len, WIRE_MAX_LINE, &len),
	    WIRE_FRAME_LINE);
	assert_int_equal(wire_request_parse(line, len, &req, &err), 0);
	assert_int_equal(json_integer_value(req.id), 77);
	assert_string_equal(req.method, "thank");
	assert_true(json_equal(req.params, params));
	wire_request_free(&req);
	free(line);
	json_decref(params);
}

/* Parse a NUL-terminated reply line. */
static int
response(const char *line, json_int_t id, json_t **result,
    struct kl_error *err)
{
	memset(err, 0, sizeof *err);
	return wire_response_parse(line, strlen(line), id, result, err);
}

static void
test_response_result(void **state)
{
	struct kl_error	 err;
	json_t		*result = NULL;

	(void)state;
	assert_int_equal(response("{\"jsonrpc\":\"2.0\",\"id\":3,\"result\":"
	    "{\"version\":\"0.1.0\",\"protocol\":1}}\n", 3, &result, &err), 0);
	assert_true(json_is_object(result));
	assert_string_equal(json_string_value(json_object_get(result,
	    "version")), "0.1.0");
	assert_int_equal(json_integer_value(json_object_get(result,
	    "protocol")), 1);
	/* The caller owns the only reference. */
	assert_int_equal(result->refcount, 1);
	json_decref(result);

	assert_int_equal(response("{\"jsonrpc\":\"2.0\",\"id\":4,\"result\":"
	    "[1,2]}", 4, &result, &err), 0);
	assert_int_equal(json_array_size(result), 2);
	json_decref(result);
}

static void
test_response_error(void **state)
{
	struct kl_error	 err;
	json_t		*result = (json_t *)1;

	(void)state;
	assert_int_equal(response("{\"jsonrpc\":\"2.0\",\"id\":3,\"error\":"
	    "{\"code\":1,\"message\":\"no entry #42\"}}", 3, &result, &err),
	    -1);
	assert_null(result);
	assert_int_equal(err.code, KL_ERR_NOT_FOUND);
	assert_string_equal(err.message, "no entry #42");

	assert_int_equal(response("{\"jsonrpc\":\"2.0\",\"id\":3,\"error\":"
	    "{\"code\":-32602,\"message\":\"text must not be empty\","
	    "\"data\":{}}}", 3, &result, &err), -1);
	assert_int_equal(err.code, KL_ERR_PARAMS);
	assert_string_equal(err.message, "text must not be empty");

	/* The daemon could not read the request: id null, its error. */
	assert_int_equal(response("{\"jsonrpc\":\"2.0\",\"id\":null,\"error\":"
	    "{\"code\":-32700,\"message\":\"x\"}}", 3, &result, &err), -1);
	assert_null(result);
	assert_int_equal(err.code, KL_ERR_PARSE);
	assert_string_equal(err.message, "x");
}

static void
test_response_malformed(void **state)
{
	struct kl_error	 err;
	json_t		*result = (json_t *)1;

	(void)state;
	/* Another request's reply. */
	assert_int_equal(response("{\"jsonrpc\":\"2.0\",\"id\":4,\"result\":{}}",
	    3, &result, &err), -1);
	assert_null(result);
	assert_int_equal(err.code, KL_ERR_INVALID_REQUEST);
	assert_int_equal(response("{\"jsonrpc\":\"2.0\",\"id\":4,\"error\":"
	    "{\"code\":1,\"message\":\"no entry #42\"}}", 3, &result, &err), -1);
	assert_int_equal(err.code, KL_ERR_INVALID_REQUEST);
	assert_string_not_equal(err.message, "no entry #42");
	assert_int_equal(response("{\"jsonrpc\":\"2.0\",\"id\":\"3\","
	    "\"result\":{}}", 3, &result, &err), -1);
	assert_int_equal(err.code, KL_ERR_INVALID_REQUEST);
	assert_int_equal(response("{\"jsonrpc\":\"2.0\",\"id\":null,"
	    "\"result\":{}}", 3, &result, &err), -1);
	assert_int_equal(err.code, KL_ERR_INVALID_REQUEST);
	assert_int_equal(response("{\"jsonrpc\":\"2.0\",\"result\":{}}",
	    3, &result, &err), -1);
	assert_int_equal(err.code, KL_ERR_INVALID_REQUEST);
	/* Neither result nor error, or an error without a usable shape. */
	assert_int_equal(response("{\"jsonrpc\":\"2.0\",\"id\":3}", 3, &result,
	    &err), -1);
	assert_int_equal(err.code, KL_ERR_INVALID_REQUEST);
	assert_int_equal(response("{\"jsonrpc\":\"2.0\",\"id\":3,\"error\":"
	    "{\"code\":\"1\",\"message\":\"m\"}}", 3, &result, &err), -1);
	assert_int_equal(err.code, KL_ERR_INVALID_REQUEST);
	assert_int_equal(response("{\"jsonrpc\":\"2.0\",\"id\":3,\"error\":"
	    "\"boom\"}", 3, &result, &err), -1);
	assert_int_equal(err.code, KL_ERR_INVALID_REQUEST);
	assert_int_equal(response("[1]", 3, &result, &err), -1);
	assert_int_equal(err.code, KL_ERR_INVALID_REQUEST);
	/* Not JSON at all. */
	assert_int_equal(response("kindlogd says hi", 3, &result, &err), -1);
	assert_null(result);
	assert_int_equal(err.code, KL_ERR_PARSE);
	assert_int_equal(response("", 3, &result, &err), -1);
	assert_int_equal(err.code, KL_ERR_PARSE);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_frame_partial),
		cmocka_unit_test(test_frame_lines),
		cmocka_unit_test(test_frame_limits),
		cmocka_unit_test(test_request_number_id),
		cmocka_unit_test(test_request_string_id),
		cmocka_unit_test(test_request_notification),
		cmocka_unit_test(test_request_trailing_cr),
		cmocka_unit_test(test_request_length_bounded),
		cmocka_unit_test(test_request_params_errors),
		cmocka_unit_test(test_request_envelope_errors),
		cmocka_unit_test(test_request_parse_errors),
		cmocka_unit_test(test_request_valid_json_not_object),
		cmocka_unit_test(test_request_nul_byte),
		cmocka_unit_test(test_request_deep_nesting),
		cmocka_unit_test(test_reply_result),
		cmocka_unit_test(test_reply_error),
		cmocka_unit_test(test_reply_error_invalid_utf8),
		cmocka_unit_test(test_request_format),
		cmocka_unit_test(test_request_round_trip),
		cmocka_unit_test(test_response_result),
		cmocka_unit_test(test_response_error),
		cmocka_unit_test(test_response_malformed),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
