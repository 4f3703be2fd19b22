"""The project's compatible re-implementation of XSOAR's CommonServerPython.

Integrations do `from CommonServerPython import *`, so every public name here (including the re-exported stdlib and
typing names) is part of the contract. Names, signatures, defaults and output formats follow the platform module as
documented in the project reference; nothing here may be more lenient than the real module.

Every call to the server object goes through the module (`demisto.params()`), because the local runner replaces
demistomock functions by assigning module attributes at run time.
"""

import base64
import gzip  # noqa: F401  (re-exported, as on the platform)
import json
import logging
import os
import re
import socket  # noqa: F401
import ssl
import sys
import time
import traceback
import urllib
import urllib.parse
import uuid  # noqa: F401
import warnings
import xml.etree.ElementTree as ET
from abc import abstractmethod
from collections import OrderedDict  # noqa: F401
from datetime import datetime, timedelta, timezone
from functools import wraps
from inspect import currentframe  # noqa: F401
from random import randint
from threading import Lock  # noqa: F401
from typing import (  # noqa: F401  (re-exported: integrations rely on the star import for these)
    Any,
    Callable,
    Dict,
    Generator,
    Iterable,
    Iterator,
    List,
    Optional,
    Set,
    Tuple,
    Type,
    Union,
    cast,
)

import dateparser
import demistomock as demisto
import requests
import urllib3
from requests.adapters import HTTPAdapter
from urllib3 import Retry
from urllib3.util.ssl_ import create_urllib3_context

with warnings.catch_warnings():
    # distutils is deprecated on 3.10/3.11 and gone from 3.12 unless setuptools provides it.
    warnings.simplefilter("ignore")
    try:
        from distutils.version import LooseVersion  # noqa: F401
    except ImportError:
        pass

CONTENT_RELEASE_VERSION = "0.0.0"
CONTENT_BRANCH_NAME = "master"
IS_PY3 = sys.version_info[0] == 3
PY_VER_MINOR = sys.version_info[1]
STRING_TYPES = (str, bytes)
STRING_OBJ_TYPES = (str,)
MASK = "<XX_REPLACED>"
MAX_ERROR_MESSAGE_LENGTH = 50000
CONTEXT_UPDATE_RETRY_TIMES = 3
MIN_VERSION_FOR_VERSIONED_CONTEXT = "6.0.0"
MARKDOWN_CHARS = r"\`*_{}[]()#+-!|"
ENDPOINT_STATUS_OPTIONS = ["Online", "Offline", "Unknown"]
ENDPOINT_ISISOLATED_OPTIONS = ["Yes", "No", "Pending isolation", "Pending unisolation"]
CIPHERS_STRING = (
    "@SECLEVEL=1:ECDHE+AESGCM:ECDHE+CHACHA20:DHE+AESGCM:DHE+CHACHA20:ECDH+AESGCM:DH+AESGCM:"
    "ECDH+AES:DH+AES:RSA+ANESGCM:RSA+AES:!aNULL:!eNULL:!MD5:!DSS"
)
_PROXY_PREFIXES = ["http://", "https://", "socks5://", "socks5h://", "socks4://", "socks4a://"]
_SERVER_HANDLED_COMMANDS = ("fetch-incidents", "fetch-credentials", "long-running-execution", "fetch-indicators")
# Some functions take a parameter named `timezone` (as on the platform) that hides the module name.
_utc_zone = timezone.utc


def handle_warning(message: Any, category: Any, filename: Any, lineno: Any, file: Any = None, line: Any = None) -> None:
    """Python warnings go to the integration log instead of stderr (stderr output fails a platform test)."""
    demisto.info("python warning: " + warnings.formatwarning(message, category, filename, lineno, line))


warnings.showwarning = handle_warning
logging.raiseExceptions = False
urllib3.disable_warnings()


# ---------------------------------------------------------------------------------------------------------------------
# Entry types, formats and enumerations


class EntryType:
    NOTE = 1
    DOWNLOAD_AGENT = 2
    FILE = 3
    ERROR = 4
    PINNED = 5
    USER_MANAGEMENT = 6
    IMAGE = 7
    PLAYGROUND_ERROR = 8
    ENTRY_INFO_FILE = 9
    VIDEO_FILE = 10
    WARNING = 11
    STATIC_VIDEO_FILE = 12
    MAP_ENTRY_TYPE = 15
    WIDGET = 17
    EXECUTION_METRICS = 19


class IncidentStatus:
    PENDING = 0
    ACTIVE = 1
    DONE = 2
    ARCHIVE = 3


class IncidentSeverity:
    UNKNOWN = 0
    INFO = 0.5
    LOW = 1
    MEDIUM = 2
    HIGH = 3
    CRITICAL = 4


class EntryFormat:
    HTML = "html"
    TABLE = "table"
    JSON = "json"
    TEXT = "text"
    DBOT_RESPONSE = "dbotCommandResponse"
    MARKDOWN = "markdown"

    @classmethod
    def is_valid_type(cls, _type: Any) -> bool:
        return _type in (
            EntryFormat.HTML,
            EntryFormat.TABLE,
            EntryFormat.JSON,
            EntryFormat.TEXT,
            EntryFormat.MARKDOWN,
            EntryFormat.DBOT_RESPONSE,
        )


entryTypes = {
    "note": 1,
    "downloadAgent": 2,
    "file": 3,
    "error": 4,
    "pinned": 5,
    "userManagement": 6,
    "image": 7,
    "playgroundError": 8,
    "entryInfoFile": 9,
    "warning": 11,
    "map": 15,
    "debug": 16,
    "widget": 17,
}

formats = {
    "html": "html",
    "table": "table",
    "json": "json",
    "text": "text",
    "dbotResponse": "dbotCommandResponse",
    "markdown": "markdown",
}


class ErrorTypes:
    SUCCESS = "Successful"
    QUOTA_ERROR = "QuotaError"
    GENERAL_ERROR = "GeneralError"
    AUTH_ERROR = "AuthError"
    SERVICE_ERROR = "ServiceError"
    CONNECTION_ERROR = "ConnectionError"
    PROXY_ERROR = "ProxyError"
    SSL_ERROR = "SSLError"
    TIMEOUT_ERROR = "TimeoutError"
    RETRY_ERROR = "RetryError"


class DBotScoreType:
    IP = "ip"
    FILE = "file"
    DOMAIN = "domain"
    URL = "url"
    CVE = "cve"
    ACCOUNT = "account"
    CIDR = ("cidr",)  # a tuple on the platform too (a typo there): 'cidr' is therefore not a valid type
    DOMAINGLOB = "domainglob"
    CERTIFICATE = "certificate"
    CRYPTOCURRENCY = "cryptocurrency"
    EMAIL = "email"
    ATTACKPATTERN = "attackpattern"
    CUSTOM = "custom"

    @staticmethod
    def is_valid_type(_type: Any) -> bool:
        return _type in (
            DBotScoreType.IP,
            DBotScoreType.FILE,
            DBotScoreType.DOMAIN,
            DBotScoreType.URL,
            DBotScoreType.CVE,
            DBotScoreType.ACCOUNT,
            DBotScoreType.CIDR,
            DBotScoreType.DOMAINGLOB,
            DBotScoreType.CERTIFICATE,
            DBotScoreType.CRYPTOCURRENCY,
            DBotScoreType.EMAIL,
            DBotScoreType.ATTACKPATTERN,
            DBotScoreType.CUSTOM,
        )


class DBotScoreReliability:
    A_PLUS = "A+ - 3rd party enrichment"
    A = "A - Completely reliable"
    B = "B - Usually reliable"
    C = "C - Fairly reliable"
    D = "D - Not usually reliable"
    E = "E - Unreliable"
    F = "F - Reliability cannot be judged"

    @staticmethod
    def is_valid_type(_type: Any) -> bool:
        return _type in (
            DBotScoreReliability.A_PLUS,
            DBotScoreReliability.A,
            DBotScoreReliability.B,
            DBotScoreReliability.C,
            DBotScoreReliability.D,
            DBotScoreReliability.E,
            DBotScoreReliability.F,
        )

    @staticmethod
    def get_dbot_score_reliability_from_str(reliability_str: str) -> str:
        if DBotScoreReliability.is_valid_type(reliability_str):
            return reliability_str
        raise Exception("Please use supported reliability only.")


# ---------------------------------------------------------------------------------------------------------------------
# Small string helpers used by the logger and the markdown tables


def stringEscape(st: str) -> str:
    return st.replace("\r", "\\r").replace("\n", "\\n").replace("\t", "\\t")


def stringUnEscape(st: str) -> str:
    return st.replace("\\r", "\r").replace("\\n", "\n").replace("\\t", "\t")


def b64_encode(text: Any) -> str:
    if not text:
        return ""
    to_encode = text if isinstance(text, bytes) else text.encode("utf-8", "ignore")
    return base64.b64encode(to_encode).decode("utf-8")


def b64_decode(b64_str: str) -> bytes:
    b64 = b64_str.encode("ascii")
    b64 += b"=" * (-len(b64) % 4)  # the padding may have been stripped
    return base64.b64decode(b64)


def encode_string_results(text: Any) -> Any:
    if not isinstance(text, STRING_OBJ_TYPES):
        return text
    try:
        return str(text)
    except UnicodeEncodeError:
        return text.encode("utf8", "replace")


def is_debug_mode() -> bool:
    return bool(getattr(demisto, "is_debug", False))


# ---------------------------------------------------------------------------------------------------------------------
# Logging with secrets masked


class SmartGetDict(dict):
    """A dict whose `.get(key, default)` also returns `default` when the stored value is None."""

    def get(self, key: Any, default: Any = None) -> Any:  # type: ignore[override]
        value = dict.get(self, key)
        if value is not None:
            return value
        return default


if demisto.params() and not os.getenv("COMMON_SERVER_NO_AUTO_PARAMS_REMOVE_NULLS"):
    demisto.callingContext["params"] = SmartGetDict(demisto.params())


class IntegrationLogger:
    """Buffers the integration's log lines and masks every known secret (params, added strings) in them."""

    def __init__(self, debug_logging: bool = False) -> None:
        self.messages: List[str] = []
        self.write_buf: List[str] = []
        self.replace_strs: List[str] = []
        self.curl: List[str] = []
        self.buffering = True
        self.debug_logging = debug_logging
        if not os.getenv("COMMON_SERVER_NO_AUTO_REPLACE_STRS") and hasattr(demisto, "getParam"):
            sensitive_params = ("key", "private", "password", "secret", "token", "credentials", "service_account")
            if demisto.params():
                self._iter_sensistive_dict_obj(demisto.params(), sensitive_params)

    def _iter_sensistive_dict_obj(self, dict_obj: Dict[str, Any], sensitive_params: Tuple[str, ...]) -> None:
        for key, value in dict_obj.items():
            if isinstance(value, dict):  # a credentials object: its parts, and the basic-auth token built from them
                self._iter_sensistive_dict_obj(value, sensitive_params)
                if value.get("identifier") and value.get("password"):
                    self.add_replace_strs(b64_encode("{}:{}".format(value.get("identifier"), value.get("password"))))
            elif isinstance(value, STRING_OBJ_TYPES):
                key_lower = key.lower()
                for sensitive in sensitive_params:
                    if sensitive in key_lower:
                        self.add_replace_strs(value, b64_encode(value))

    def encode(self, message: Any) -> str:
        try:
            res = str(message)
        except UnicodeEncodeError as exception:
            res = f"Failed encoding message with error: {exception}"
        for replace_str in self.replace_strs:
            res = res.replace(replace_str, MASK)
        return res

    def __call__(self, message: Any) -> str:
        text = self.encode(message)
        if self.buffering:
            self.messages.append(text)
            if self.debug_logging:
                demisto.debug(text)
        else:
            demisto.info(text)
        return text

    def add_replace_strs(self, *args: Any) -> None:
        """Strings to mask in everything logged; also their escaped, JSON and URL-quoted forms."""
        to_add = []
        for arg in args:
            if arg:
                text = self.encode(arg)
                to_add.append(stringEscape(text))
                to_add.append(stringUnEscape(text))
                as_json = json.dumps(text)
                if as_json.startswith('"'):
                    as_json = as_json[1:]
                if as_json.endswith('"'):
                    as_json = as_json[:-1]
                to_add.append(as_json)
                to_add.append(urllib.parse.quote_plus(text))
        self.replace_strs.extend(to_add)

    def set_buffering(self, state: bool) -> None:
        self.buffering = state

    def print_log(self, verbose: bool = False) -> None:
        if self.write_buf:
            self.messages.append("".join(self.write_buf))
        if self.messages:
            text = "Full Integration Log:\n" + "\n".join(self.messages)
            if verbose:
                demisto.log(text)
            if not self.debug_logging:  # in debug mode every message was already sent as it came
                demisto.info(text)
            self.messages = []

    def build_curl(self, text: str) -> None:
        """Rebuild a cURL command line from http.client's `send:` debug lines (debug mode only)."""
        http_methods = ["GET", "POST", "PUT", "DELETE", "PATCH"]
        data = text.split("send: b'")[1]
        if data and data[0] in {"{", "<"}:
            # the body comes after the request line and headers were already turned into a command
            if self.curl:
                self.curl[-1] += f"-d '{data}"
        elif any(method in data for method in http_methods):
            method = ""
            url = ""
            headers = []
            headers_to_skip = ["Content-Length", "User-Agent", "Accept-Encoding", "Connection"]
            request_parts = repr(data).split("\\\\r\\\\n")
            for line_number, part in enumerate(request_parts):
                if line_number == 0:
                    method, url, _ = part[1:].split()
                elif line_number != len(request_parts) - 1:
                    if part.startswith("Host:"):
                        _, host = part.split("Host: ")
                        url = f"https://{host}{url}"
                    elif not any(skipped in part for skipped in headers_to_skip):
                        headers.append(part)
            curl_headers = "".join(f'-H "{header}" ' for header in headers if header)
            curl = f"curl -X {method} {url} {curl_headers}"
            if demisto.params().get("proxy"):
                proxy_address = os.environ.get("https_proxy")
                if proxy_address:
                    curl += f"--proxy {proxy_address} "
            else:
                curl += '--noproxy "*" '
            if demisto.params().get("insecure"):
                curl += "-k "
            self.curl.append(curl)

    def write(self, msg: Any) -> None:
        """File-like interface: lets the logger be the stream of a logging handler or of http.client prints."""
        text = self.encode(msg)
        has_newline = "\n" in text
        if text.endswith("\n"):
            text = text[:-1]
        self.write_buf.append(text)
        if has_newline:
            line = "".join(self.write_buf)
            if self.buffering:
                self.messages.append(line)
            else:
                demisto.info(line)
                if is_debug_mode() and line.startswith("send:"):
                    try:
                        self.build_curl(line)
                    except Exception as error:  # a failed reconstruction must never break the request
                        demisto.debug(f"Failed generating curl: {error}")
            self.write_buf = []

    def flush(self) -> None:
        return None

    def print_override(self, *args: Any, **kwargs: Any) -> None:
        """A `print` for other modules: output aimed at stdout/stderr goes to the log instead."""
        import builtins

        target = kwargs.get("file")
        if (not target) or target in (sys.stdout, sys.stderr):
            kwargs["file"] = self
        builtins.print(*args, **kwargs)


LOG = IntegrationLogger(debug_logging=is_debug_mode())


def add_sensitive_log_strs(sensitive_str: str) -> None:
    if LOG:
        LOG.add_replace_strs(sensitive_str)


class DebugLogger:
    """Debug mode: http.client traffic and all Python logging go to the integration log (secrets masked)."""

    def __init__(self) -> None:
        import http.client as http_client

        self.handler: logging.Handler | None = None
        self.int_logger = IntegrationLogger()
        self.int_logger.set_buffering(False)
        self.http_client: Any = http_client
        self.http_client.HTTPConnection.debuglevel = 1
        self.http_client_print = getattr(http_client, "print", None)
        http_client.print = self.int_logger.print_override  # type: ignore[attr-defined]
        self.handler = logging.StreamHandler(self.int_logger)  # type: ignore[arg-type]
        self.handler.setFormatter(logging.Formatter(logging.BASIC_FORMAT))
        self.root_logger = logging.getLogger()
        self.prev_log_level = self.root_logger.getEffectiveLevel()
        self.root_logger.setLevel(logging.DEBUG)
        self.org_handlers = list(self.root_logger.handlers)
        for handler in self.org_handlers:
            self.root_logger.removeHandler(handler)
        self.root_logger.addHandler(self.handler)

    def __del__(self) -> None:
        # Restores what __init__ changed; safe to run twice (explicitly, then again at garbage collection).
        if self.handler:
            self.root_logger.setLevel(self.prev_log_level)
            self.root_logger.removeHandler(self.handler)
            self.handler.flush()
            self.handler.close()
            self.handler = None
        for handler in getattr(self, "org_handlers", []):
            self.root_logger.addHandler(handler)
        self.org_handlers = []
        if self.http_client:
            self.http_client.HTTPConnection.debuglevel = 0
            if self.http_client_print:
                self.http_client.print = self.http_client_print
            elif hasattr(self.http_client, "print"):
                del self.http_client.print
            self.http_client = None
        for curl in self.int_logger.curl:
            demisto.info("cURL:\n" + curl)
        self.int_logger.curl = []

    def log_start_debug(self) -> None:
        msg = f"debug-mode started.\n#### http client print found: {self.http_client_print is not None}.\n#### Env {os.environ}."
        msg += f"\n#### Params: {json.dumps(demisto.params(), indent=2)}."
        calling_context = demisto.callingContext.get("context", {})
        msg += "\n#### Docker image: [{}]".format(calling_context.get("DockerImage"))
        brand = calling_context.get("IntegrationBrand")
        if brand:
            msg += "\n#### Integration: brand: [{}] instance: [{}]".format(brand, calling_context.get("IntegrationInstance"))
        self.int_logger.write(msg + "\n")


_requests_logger = None
try:
    if is_debug_mode():
        _requests_logger = DebugLogger()
        _requests_logger.log_start_debug()
except Exception as debug_logger_error:
    demisto.error(f"Failed initializing DebugLogger: {debug_logger_error}")


# ---------------------------------------------------------------------------------------------------------------------
# Exceptions


class DemistoException(Exception):
    def __init__(self, message: Any, exception: Any = None, res: Any = None, error_type: Any = None, *args: Any) -> None:
        self.res = res
        self.message = message
        self.exception = exception
        self.error_type = error_type
        super().__init__(message, exception, error_type, *args)

    def __str__(self) -> str:
        return str(self.message)


# ---------------------------------------------------------------------------------------------------------------------
# Argument converters


def argToList(arg: Any, separator: str = ",", transform: Callable | None = None) -> list:
    if not arg:
        return []
    result: Any = []
    if isinstance(arg, list):
        result = arg
    elif isinstance(arg, STRING_TYPES):
        is_comma_separated = True
        if arg[0] == "[" and arg[-1] == "]":
            try:
                result = json.loads(arg)
                is_comma_separated = False
            except Exception:
                pass
        if is_comma_separated:
            result = [s.strip() for s in arg.split(separator)]  # type: ignore[arg-type]
    else:
        result = [arg]
    if transform:
        return [transform(item) for item in result]
    return result


def argToBoolean(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, STRING_OBJ_TYPES):
        if value.lower() in ["true", "yes"]:
            return True
        if value.lower() in ["false", "no"]:
            return False
        raise ValueError("Argument does not contain a valid boolean-like value")
    raise ValueError("Argument is neither a string nor a boolean")


def arg_to_number(arg: Any, arg_name: str | None = None, required: bool = False) -> int | None:
    if arg is None or arg == "":
        if required is True:
            if arg_name:
                raise ValueError(f'Missing "{arg_name}"')
            raise ValueError("Missing required argument")
        return None
    arg = encode_string_results(arg)
    if isinstance(arg, str):
        if arg.isdigit():
            return int(arg)
        try:
            return int(float(arg))
        except Exception:
            if arg_name:
                raise ValueError(f'Invalid number: "{arg_name}"="{arg}"')
            raise ValueError(f'"{arg}" is not a valid number')
    if isinstance(arg, int):
        return arg
    if arg_name:
        raise ValueError(f'Invalid number: "{arg_name}"="{arg}"')
    raise ValueError(f'"{arg}" is not a valid number')


def arg_to_datetime(
    arg: Any,
    arg_name: str | None = None,
    is_utc: bool = True,
    required: bool = False,
    settings: Dict[str, Any] | None = None,
) -> datetime | None:
    if arg is None:
        if required is True:
            if arg_name:
                raise ValueError(f'Missing "{arg_name}"')
            raise ValueError("Missing required argument")
        return None

    if (isinstance(arg, str) and arg.isdigit()) or isinstance(arg, (int, float)):
        seconds = float(arg)
        if seconds > 2000000000.0:  # larger than any date in seconds we care about: it is in milliseconds
            seconds = seconds / 1000.0
        if is_utc:
            return datetime.fromtimestamp(seconds, tz=timezone.utc)
        return datetime.fromtimestamp(seconds)

    if isinstance(arg, str):
        date = dateparser.parse(arg, settings=settings or {"TIMEZONE": "UTC"})  # type: ignore[arg-type]
        if date is None:
            if arg_name:
                raise ValueError(f'Invalid date: "{arg_name}"="{arg}"')
            raise ValueError(f'"{arg}" is not a valid date')
        return date

    if arg_name:
        raise ValueError(f'Invalid date: "{arg_name}"="{arg}"')
    raise ValueError(f'"{arg}" is not a valid date')


def assign_params(keys_to_ignore: Any = None, values_to_ignore: Any = None, **kwargs: Any) -> Dict[str, Any]:
    if values_to_ignore is None:
        values_to_ignore = (None, "", [], {}, ())
    if keys_to_ignore is None:
        keys_to_ignore = ()
    return {key: value for key, value in kwargs.items() if value not in values_to_ignore and key not in keys_to_ignore}


def remove_nulls_from_dictionary(data: Dict[Any, Any]) -> None:
    for key in list(data.keys()):
        if data[key] in ("", None, [], {}, ()):
            del data[key]


def remove_empty_elements(d: Any) -> Any:
    def empty(value: Any) -> bool:
        return value is None or value == {} or value == []

    if not isinstance(d, (dict, list)):
        return d
    if isinstance(d, list):
        return [value for value in (remove_empty_elements(item) for item in d) if not empty(value)]
    return {key: value for key, value in ((k, remove_empty_elements(v)) for k, v in d.items()) if not empty(value)}


def remove_duplicates_from_list_arg(args: Dict[str, Any], field: str) -> list:
    return list(set(argToList(args.get(field))))


def createContextSingle(
    obj: Dict[str, Any], id: Any = None, keyTransform: Callable | None = None, removeNull: bool = False
) -> dict:
    res: Dict[str, Any] = {}
    transform: Callable = keyTransform if keyTransform is not None else (lambda key: key)
    for key in obj:
        if removeNull and obj[key] in ("", None, [], {}):
            continue
        parts = key.split(".")
        current = res
        for part in parts[:-1]:
            current.setdefault(part, {})
            current = current[part]
        current[transform(parts[-1])] = obj[key]
    if id is not None:
        res.setdefault("ID", id)
    return res


def createContext(data: Any, id: Any = None, keyTransform: Callable | None = None, removeNull: bool = False) -> Any:
    if isinstance(data, (list, tuple)):
        return [createContextSingle(d, id, keyTransform, removeNull) for d in data]
    return createContextSingle(data, id, keyTransform, removeNull)


def dict_safe_get(
    dict_object: Any,
    keys: Iterable,
    default_return_value: Any = None,
    return_type: Any = None,
    raise_return_type: bool = True,
) -> Any:
    return_value = dict_object
    for key in keys:
        try:
            return_value = return_value[key]
        except (KeyError, TypeError, IndexError, AttributeError):
            return_value = default_return_value
            break

    if return_type and not isinstance(return_value, return_type):
        if raise_return_type:
            raise TypeError(
                f"Safe get Error:\nDetails: Return Type Error Excepted return type {return_type},"
                f" but actual type from nested dict/list is {type(return_value)} with value {return_value}.\n"
                f"Query: {keys}\nQueried object: {dict_object}"
            )
        return_value = default_return_value
    return return_value


def batch(iterable: Any, batch_size: int = 1) -> Iterator[Any]:
    current_batch = iterable[:batch_size]
    not_batched = iterable[batch_size:]
    while current_batch:
        yield current_batch
        current_batch = not_batched[:batch_size]
        not_batched = not_batched[batch_size:]


def urljoin(url: str, suffix: str = "") -> str:
    if url[-1:] != "/":
        url = url + "/"
    if suffix.startswith("/"):
        suffix = suffix[1:]
    return url + suffix


# ---------------------------------------------------------------------------------------------------------------------
# Key and header transformations

pascalRegex = re.compile("([A-Z]?[a-z]+)")


def pascalToSpace(s: Any) -> Any:
    if not isinstance(s, STRING_OBJ_TYPES):
        return s
    for token in pascalRegex.findall(s):
        # surrounding spaces split acronyms (IP, ID) that the regex leaves alone; the join removes doubled spaces
        s = s.replace(token, f" {token.title()} ")
    return " ".join(s.split())


def string_to_table_header(string: Any) -> str:
    if isinstance(string, STRING_OBJ_TYPES):
        return " ".join(word.capitalize() for word in string.replace("_", " ").split())
    raise Exception(f"The key is not a string: {string}")


def string_to_context_key(string: Any) -> str:
    if isinstance(string, STRING_OBJ_TYPES):
        return "".join(word.capitalize() for word in string.split("_"))
    raise Exception(f"The key is not a string: {string}")


def underscoreToCamelCase(s: Any, upper_camel: bool = True) -> Any:
    if not isinstance(s, STRING_OBJ_TYPES):
        return s
    components = s.split("_")
    camel_without_first_char = "".join(x.title() for x in components[1:])
    if upper_camel:
        return components[0].title() + camel_without_first_char
    return components[0].lower() + camel_without_first_char


def camelize_string(src_str: str, delim: str = "_", upper_camel: bool = True) -> str:
    if not src_str:
        return src_str
    components = src_str.split(delim)
    camelize_without_first_char = "".join(x.title() for x in components[1:])
    if upper_camel:
        return components[0].title() + camelize_without_first_char
    return components[0].lower() + camelize_without_first_char


def camelize(src: Any, delim: str = " ", upper_camel: bool = True) -> Any:
    def camelize_str(src_str: Any) -> str:
        if callable(getattr(src_str, "decode", None)):
            src_str = src_str.decode("utf-8")
        components = src_str.split(delim)
        camelize_without_first_char = "".join(x.title() for x in components[1:])
        if upper_camel:
            return components[0].title() + camelize_without_first_char
        return components[0].lower() + camelize_without_first_char

    if isinstance(src, list):
        return [camelize(phrase, delim, upper_camel=upper_camel) for phrase in src]
    return {camelize_str(key): value for key, value in src.items()}


def camel_case_to_underscore(s: str) -> str:
    s1 = re.sub("(.)([A-Z][a-z]+)", r"\1_\2", s)
    return re.sub("([a-z0-9])([A-Z])", r"\1_\2", s1).lower()


def snakify(src: Dict[str, Any]) -> Dict[str, Any]:
    return {camel_case_to_underscore(key): value for key, value in src.items()}


# ---------------------------------------------------------------------------------------------------------------------
# Dates


def timestamp_to_datestring(timestamp: Any, date_format: str = "%Y-%m-%dT%H:%M:%S.000Z", is_utc: bool = False) -> str:
    seconds = int(timestamp) / 1000.0
    if is_utc or date_format.endswith("Z"):
        return datetime.fromtimestamp(seconds, tz=timezone.utc).replace(tzinfo=None).strftime(date_format)
    return datetime.fromtimestamp(seconds).strftime(date_format)


def date_to_timestamp(date_str_or_dt: Any, date_format: str = "%Y-%m-%dT%H:%M:%S") -> int:
    if isinstance(date_str_or_dt, STRING_OBJ_TYPES):
        return int(time.mktime(time.strptime(date_str_or_dt, date_format)) * 1000)
    return int(time.mktime(date_str_or_dt.timetuple()) * 1000)


def parse_date_string(date_string: str, date_format: str = "%Y-%m-%dT%H:%M:%S") -> datetime:
    try:
        return datetime.strptime(date_string, date_format)
    except ValueError as error:
        error_message = str(error)
        date_format = "%Y-%m-%dT%H:%M:%S"
        sliced_time_data = ""
        time_data_match = re.findall(r"time data '(.*?)'", error_message)
        if time_data_match:
            # what follows YYYY-MM-DDThh:mm:ss: fraction and zone
            sliced_time_data = time_data_match[0][19:]
        else:
            unconverted_match = re.findall(r"unconverted data remains: (.*)", error_message)
            if unconverted_match:
                sliced_time_data = unconverted_match[0]
        if not sliced_time_data:
            raise ValueError(error)
        if "." in sliced_time_data:
            date_format += ".%f"
            # %f takes at most 6 digits: nanoseconds are truncated to microseconds
            date_string = re.sub(r"(\.\d{6})\d+", r"\1", date_string)
            sliced_time_data = re.sub(r"(\.\d{6})\d+", r"\1", sliced_time_data)
        time_zone = re.findall(r"[Zz+-].*", sliced_time_data)
        if time_zone:
            date_format += time_zone[0]  # matched as literal text: the offset is not applied
        return datetime.strptime(date_string, date_format)


def parse_date_range(
    date_range: str, date_format: str | None = None, to_timestamp: bool = False, timezone: Any = 0, utc: bool = True
) -> Tuple[Any, Any]:
    range_split = date_range.strip().split(" ")
    if len(range_split) != 2:
        return_error('date_range must be "number date_range_unit", examples: (2 hours, 4 minutes,6 months, 1 day, etc.)')

    try:
        number = int(range_split[0])
    except ValueError:
        return_error("The time value is invalid. Must be an integer.")

    unit = range_split[1].lower()
    if unit not in ["minute", "minutes", "hour", "hours", "day", "days", "month", "months", "year", "years"]:
        return_error("The unit of date_range is invalid. Must be minutes, hours, days, months or years.")

    if not isinstance(timezone, (int, float)):
        return_error(f'Invalid timezone "{timezone}" - must be a number (of type int or float).')

    now = datetime.now(_utc_zone).replace(tzinfo=None) if utc else datetime.now()
    end_time = now + timedelta(hours=timezone)
    start_time = end_time
    if "minute" in unit:
        start_time = end_time - timedelta(minutes=number)
    elif "hour" in unit:
        start_time = end_time - timedelta(hours=number)
    elif "day" in unit:
        start_time = end_time - timedelta(days=number)
    elif "month" in unit:
        start_time = end_time - timedelta(days=number * 30)
    elif "year" in unit:
        start_time = end_time - timedelta(days=number * 365)

    if to_timestamp:
        return date_to_timestamp(start_time), date_to_timestamp(end_time)
    if date_format:
        return datetime.strftime(start_time, date_format), datetime.strftime(end_time, date_format)
    return start_time, end_time


def get_current_time(time_zone: int = 0) -> datetime:
    now = datetime.now(_utc_zone).replace(tzinfo=None) + timedelta(hours=time_zone)
    try:
        import pytz

        return now.replace(tzinfo=pytz.UTC)
    except ImportError:
        return now


# ---------------------------------------------------------------------------------------------------------------------
# Markdown tables


class JsonTransformer:
    """Renders a dict/list cell: flat `key: value` lines (flatten=True) or `***key***: value` lines with paths."""

    def __init__(
        self, flatten: bool = False, keys: Iterable | None = None, is_nested: bool = False, func: Callable | None = None
    ) -> None:
        self.keys = set(keys or [])
        self.is_nested = is_nested
        self.func = func
        self.flatten = flatten

    def json_to_str(self, json_input: Any, is_pretty: bool = True) -> str:
        if self.func:
            return self.func(json_input)
        if isinstance(json_input, STRING_TYPES):
            return json_input  # type: ignore[return-value]
        if self.flatten:
            if not isinstance(json_input, dict):
                return flattenCell(json_input, is_pretty)
            return "\n".join(f"{key}: {flattenCell(value, is_pretty)}" for key, value in json_input.items())

        lines = []
        prev_path: List[Any] = []
        for path, key, value in self.json_to_path_generator(json_input):
            str_path = ""
            full_tabs = "\t" * len(path)
            if path != prev_path:  # the path header is written only where it changes
                common_prefix_index = len(os.path.commonprefix((prev_path, path)))  # noqa: RUF071  (lists of path parts)
                path_parts = []
                for i, part in enumerate(path[common_prefix_index:]):
                    is_list = isinstance(part, int)
                    tabs = (common_prefix_index + i) * "\t"
                    path_value = "-" if is_list else part
                    delim = "" if is_list else ":\n"
                    path_parts.append(f"{tabs}**{path_value}**{delim}")
                str_path = "".join(path_parts)
                prev_path = path
                if path and isinstance(path[-1], int):
                    full_tabs = "\t"
            lines.append(f"{str_path}{full_tabs}***{key}***: {flattenCell(value, is_pretty)}")
        return "\n".join(lines)

    def json_to_path_generator(self, json_input: Any, path: List[Any] | None = None) -> Iterator[Tuple[List[Any], Any, Any]]:
        if path is None:
            path = []
        is_in_path = not self.keys or any(p for p in path if p in self.keys)
        if isinstance(json_input, dict):
            for key, value in json_input.items():
                if is_in_path or key in self.keys:
                    if not isinstance(value, (dict, list)):
                        yield path, key, value
                    else:
                        yield from self.json_to_path_generator(value, [*path, key])
                elif self.is_nested:
                    yield from self.json_to_path_generator(value, [*path, key])
        if isinstance(json_input, list):
            if not json_input or (not isinstance(json_input[0], list) and not isinstance(json_input[0], dict)):
                # a list of plain values is one line
                yield path, "values", ", ".join(json_input)
            else:
                for i, item in enumerate(json_input):
                    yield from self.json_to_path_generator(item, [*path, i])


def flattenCell(data: Any, is_pretty: bool = True) -> str:
    indent = 4 if is_pretty else None
    if isinstance(data, STRING_TYPES):
        return data  # type: ignore[return-value]
    if isinstance(data, list):
        string_list = []
        for item in data:
            if isinstance(item, bytes):
                string_list.append(item.decode("utf-8"))
            else:
                string_list.append(str(item))
        return ",\n".join(string_list)
    return json.dumps(data, indent=indent, ensure_ascii=False, default=str)


def formatCell(data: Any, is_pretty: bool = True, json_transform: JsonTransformer | None = None) -> str:
    if json_transform is None:
        json_transform = JsonTransformer(flatten=True)
    if isinstance(data, STRING_TYPES):
        return data  # type: ignore[return-value]
    if isinstance(data, (dict, list)):
        return json_transform.json_to_str(data, is_pretty)
    return flattenCell(data, is_pretty)


def stringEscapeMD(st: str, minimal_escaping: bool = False, escape_multiline: bool = False) -> str:
    if escape_multiline:
        st = st.replace("\r\n", "<br>")  # Windows
        st = st.replace("\r", "<br>")  # old Mac
        st = st.replace("\n", "<br>")  # Unix
    if minimal_escaping:
        for char in ("|", "`"):
            st = st.replace(char, "\\" + char)
    else:
        st = "".join("\\" + str(c) if c in MARKDOWN_CHARS else str(c) for c in st)
    return st


def create_clickable_url(url: Any, text: Any = None) -> Any:
    if not url:
        return None
    if isinstance(url, list):
        if isinstance(text, list) and len(text) == len(url):
            return [f"[{label}]({item})" for label, item in zip(text, url, strict=True)]
        return [f"[{item}]({item})" for item in url]
    return f"[{text or url}]({url})"


def url_to_clickable_markdown(data: Any, url_keys: List[str]) -> Any:
    if isinstance(data, list):
        return [url_to_clickable_markdown(item, url_keys) for item in data]
    if isinstance(data, dict):
        return {
            key: create_clickable_url(value) if key in url_keys else url_to_clickable_markdown(value, url_keys)
            for key, value in data.items()
        }
    return data


def tableToMarkdown(
    name: str,
    t: Any,
    headers: Any = None,
    headerTransform: Callable | None = None,
    removeNull: bool = False,
    metadata: str | None = None,
    url_keys: List[str] | None = None,
    date_fields: List[str] | None = None,
    json_transform_mapping: Dict[str, JsonTransformer] | None = None,
    is_auto_json_transform: bool = False,
    sort_headers: bool = True,
) -> str:
    if url_keys:
        t = url_to_clickable_markdown(t, url_keys)

    md_result = ""
    if name:
        md_result = "### " + name + "\n"
    if metadata:
        md_result += metadata + "\n"

    if not t or len(t) == 0:
        md_result += "**No entries.**\n"
        return md_result

    if not headers and isinstance(t, dict) and len(t.keys()) == 1:
        # a single key makes a column table: one row per element of its list value
        headers = list(t.keys())
        if isinstance(next(iter(t.values())), list):
            t = next(iter(t.values()))

    if not isinstance(t, list):
        t = [t]

    if headers and isinstance(headers, STRING_TYPES):
        headers = [headers]

    if not isinstance(t[0], dict):
        # plain values: one column, named by the first header
        if headers and len(headers) > 0:
            header = headers[0]
            t = [{header: item} for item in t]
        else:
            raise Exception("Missing headers param for tableToMarkdown. Example: headers=['Some Header']")

    if not headers:
        headers = list(t[0].keys())
        if sort_headers:
            headers.sort()

    if removeNull:
        headers = [header for header in headers if not all(row.get(header) in ("", None, [], {}) for row in t)]

    if not json_transform_mapping:
        json_transform_mapping = (
            {header: JsonTransformer(is_nested=False) for header in headers} if is_auto_json_transform else {}
        )

    if t and len(headers) > 0:
        transform: Callable = (
            headerTransform if headerTransform is not None else (lambda header: stringEscapeMD(header, True, True))
        )
        md_result += "|" + "|".join(transform(header) for header in headers) + "|\n"
        md_result += "|" + "|".join(["---"] * len(headers)) + "|\n"
        for entry in t:
            entry_copy = entry.copy()
            if date_fields:
                for field in date_fields:
                    try:
                        entry_copy[field] = datetime.fromtimestamp(int(entry_copy[field]) / 1000).strftime("%Y-%m-%d %H:%M:%S")
                    except Exception:
                        pass
            cells = [
                stringEscapeMD(
                    formatCell(entry_copy.get(header, ""), False, json_transform_mapping.get(header))
                    if entry_copy.get(header) is not None
                    else "",
                    True,
                    True,
                )
                for header in headers
            ]
            md_result += "| " + " | ".join(cells) + " |\n"
    else:
        md_result += "**No entries.**\n"
    return md_result


tblToMd = tableToMarkdown


# ---------------------------------------------------------------------------------------------------------------------
# Server version and calling context


class GetDemistoVersion:
    """Callable that asks the server for its version once and caches it in `_version`."""

    def __init__(self) -> None:
        self._version: Dict[str, Any] | None = None

    def __call__(self) -> Dict[str, Any]:
        if self._version is None:
            if hasattr(demisto, "demistoVersion"):
                self._version = demisto.demistoVersion()
            else:
                raise AttributeError("demistoVersion attribute not found.")
        return self._version  # type: ignore[return-value]


get_demisto_version = GetDemistoVersion()


def get_demisto_version_as_str() -> str:
    try:
        version = get_demisto_version()
        return "{}-{}".format(version.get("version", "Unknown"), version.get("buildNumber", "Unknown"))
    except AttributeError:
        return "Unknown"


def _comparable_version(version: str) -> List[str]:
    parts = version.split(".")
    for part in parts:
        if not part.isdigit():
            raise ValueError(f"not a numeric version: {version}")
    return [part.zfill(8) for part in parts]


def is_demisto_version_ge(version: str, build_number: str = "") -> bool:
    server_version: Dict[str, Any] = {}
    try:
        server_version = get_demisto_version()
        server = _comparable_version(server_version["version"])
        wanted = _comparable_version(version)
        width = max(len(server), len(wanted))
        server += ["0".zfill(8)] * (width - len(server))
        wanted += ["0".zfill(8)] * (width - len(wanted))
        if server != wanted:
            return server > wanted
        if build_number:
            return int(server_version["buildNumber"]) >= int(build_number)
        return True
    except AttributeError:
        # demistoVersion appeared in server 5.0.0
        if version >= "5.0.0":
            return False
        raise
    except (ValueError, KeyError, TypeError):
        # development builds have no comparable version
        demisto.log(
            "is_demisto_version_ge: ValueError. \n "
            f"input: server version: {version} build number: {build_number}\n"
            f"server version: {server_version}"
        )
        return True


def get_integration_name() -> str:
    return demisto.callingContext.get("context", {}).get("IntegrationBrand", "")


def get_integration_instance_name() -> str:
    return demisto.callingContext.get("context", {}).get("IntegrationInstance", "")


def get_script_name() -> str:
    return demisto.callingContext.get("context", {}).get("ScriptName", "")


def is_integration_command_execution() -> bool:
    try:
        return demisto.callingContext["context"]["ExecutedCommands"][0]["moduleBrand"] != "Scripts"
    except (KeyError, IndexError, TypeError):
        try:
            return demisto.callingContext["context"]["ScriptName"] == ""
        except (KeyError, IndexError, TypeError):
            return True


def get_x_content_info_headers() -> Dict[str, str]:
    calling_context = demisto.callingContext.get("context", {})
    brand_name = calling_context.get("IntegrationBrand", "")
    instance_name = calling_context.get("IntegrationInstance", "")
    return {
        "X-Content-Version": CONTENT_RELEASE_VERSION,
        "X-Content-Name": brand_name or instance_name or "Name not found",
        "X-Content-LicenseID": demisto.getLicenseID(),
        "X-Content-Branch": CONTENT_BRANCH_NAME,
        "X-Content-Server-Version": get_demisto_version_as_str(),
    }


# ---------------------------------------------------------------------------------------------------------------------
# Integration context, last runs


def is_versioned_context_available() -> bool:
    return is_demisto_version_ge(MIN_VERSION_FOR_VERSIONED_CONTEXT)


def get_integration_context(sync: bool = True, with_version: bool = False) -> Dict[str, Any]:
    if is_versioned_context_available():
        integration_context = demisto.getIntegrationContextVersioned(sync)
        if with_version:
            return integration_context
        return integration_context.get("context", {})
    return demisto.getIntegrationContext()


def set_integration_context(context: Any, sync: bool = True, version: int = -1) -> Any:
    demisto.debug("Setting integration context")
    if is_versioned_context_available():
        return demisto.setIntegrationContextVersioned(context, version, sync)
    return demisto.setIntegrationContext(context)


def get_integration_context_with_version(sync: bool = True) -> Tuple[Dict[str, Any], int]:
    latest = get_integration_context(sync, with_version=True)
    version = -1
    if is_versioned_context_available():
        integration_context = latest.get("context", {})
        if sync:
            version = latest.get("version", 0)
    else:
        integration_context = latest
    return integration_context, version


def merge_lists(original_list: List[Dict[str, Any]], updated_list: List[Dict[str, Any]], key: str) -> List[Dict[str, Any]]:
    original = {element[key]: element for element in original_list}
    updated = {element[key]: element for element in updated_list}
    original.update(updated)
    for removed in (obj for obj in original.values() if obj.get("remove", False) is True):
        demisto.debug(f"Removing from integration context: {removed}")
    return [obj for obj in original.values() if obj.get("remove", False) is not True]


def update_integration_context(
    context: Dict[str, Any], object_keys: Dict[str, str] | None = None, sync: bool = True
) -> Tuple[Dict[str, Any], int]:
    if object_keys is None:
        object_keys = {}
    integration_context, version = get_integration_context_with_version(sync)
    for key in context:
        latest_object = json.loads(integration_context.get(key, "[]"))
        updated_object = context[key]
        if key in object_keys:
            integration_context[key] = json.dumps(merge_lists(latest_object, updated_object, object_keys[key]))
        else:
            integration_context[key] = json.dumps(updated_object)
    return integration_context, version


def set_to_integration_context_with_retries(
    context: Dict[str, Any],
    object_keys: Dict[str, str] | None = None,
    sync: bool = True,
    max_retry_times: int = CONTEXT_UPDATE_RETRY_TIMES,
) -> None:
    attempt = 0
    while True:
        if attempt == max_retry_times:
            raise Exception("Failed updating integration context. Max retry attempts exceeded.")
        integration_context, version = update_integration_context(context, object_keys, sync)
        demisto.debug(f"Attempting to update the integration context with version {version}.")
        attempt += 1
        try:
            set_integration_context(integration_context, sync, version)
            demisto.debug(f"Successfully updated integration context with version {version}.")
            break
        except ValueError as error:  # the server refused the version: someone else wrote first
            demisto.debug(
                f"Failed updating integration context with version {version}: {error} Attempts left - {max_retry_times - attempt}"
            )
            time.sleep(randint(1, 100) / 1000)


def get_feed_last_run() -> Dict[str, Any]:
    if is_demisto_version_ge("6.1.0"):
        feed_last_run = demisto.getLastRun() or {}
        if not feed_last_run:
            integration_ctx = demisto.getIntegrationContext()
            if integration_ctx:
                feed_last_run = integration_ctx
                demisto.setLastRun(feed_last_run)
                demisto.setIntegrationContext({})
    else:
        feed_last_run = demisto.getIntegrationContext() or {}
    return feed_last_run


def set_feed_last_run(last_run_indicators: Dict[str, Any]) -> None:
    if is_demisto_version_ge("6.1.0"):
        demisto.setLastRun(last_run_indicators)
    else:
        demisto.setIntegrationContext(last_run_indicators)


def get_last_mirror_run() -> Dict[str, Any]:
    if is_demisto_version_ge("6.6.0"):
        return demisto.getLastMirrorRun() or {}
    raise DemistoException("You cannot use getLastMirrorRun as your version is below 6.6.0")


def set_last_mirror_run(last_mirror_run: Dict[str, Any]) -> None:
    if is_demisto_version_ge("6.6.0"):
        demisto.setLastMirrorRun(last_mirror_run)
    else:
        raise DemistoException("You cannot use setLastMirrorRun as your version is below 6.6.0")


# ---------------------------------------------------------------------------------------------------------------------
# Indicators, DBot scores, relationships, timeline


class EntityRelationship:
    """A relationship between two entities (indicators, incidents...), sent to the server with the entry."""

    def __init__(
        self,
        name: str,
        entity_a: str,
        entity_a_type: str,
        entity_b: str = "",
        entity_b_type: str = "",
        reverse_name: str = "",
        relationship_type: str = "IndicatorToIndicator",
        entity_a_family: str = "Indicator",
        entity_b_family: str = "Indicator",
        source_reliability: str = "",
        fields: Dict[str, Any] | None = None,
        brand: str = "",
    ) -> None:
        self._name = name
        self._entity_a = entity_a
        self._entity_a_type = entity_a_type
        self._entity_a_family = entity_a_family
        self._entity_b = entity_b
        self._entity_b_type = entity_b_type
        self._entity_b_family = entity_b_family
        self._reverse_name = reverse_name
        self._relationship_type = relationship_type
        self._fields = fields or {}
        self._brand = brand
        self._source_reliability = source_reliability
        if source_reliability and not DBotScoreReliability.is_valid_type(source_reliability):
            raise ValueError(f"Invalid source reliability value: {source_reliability}")

    def to_entry(self) -> Dict[str, Any]:
        if not self._entity_b:
            return {}
        entry = {
            "name": self._name,
            "reverseName": self._reverse_name,
            "type": self._relationship_type,
            "entityA": self._entity_a,
            "entityAFamily": self._entity_a_family,
            "entityAType": self._entity_a_type,
            "entityB": self._entity_b,
            "entityBFamily": self._entity_b_family,
            "entityBType": self._entity_b_type,
            "fields": self._fields,
        }
        if self._source_reliability:
            entry["reliability"] = self._source_reliability
        if self._brand:
            entry["brand"] = self._brand
        return entry

    def to_indicator(self) -> Dict[str, Any]:
        if not self._entity_b:
            return {}
        return {
            "name": self._name,
            "reverseName": self._reverse_name,
            "type": self._relationship_type,
            "entityA": self._entity_a,
            "entityAFamily": self._entity_a_family,
            "entityAType": self._entity_a_type,
            "entityB": self._entity_b,
            "entityBFamily": self._entity_b_family,
            "entityBType": self._entity_b_type,
            "fields": self._fields,
        }

    def to_context(self) -> Dict[str, Any]:
        if not self._entity_b:
            return {}
        return {
            "Relationship": self._name,
            "EntityA": self._entity_a,
            "EntityAType": self._entity_a_type,
            "EntityB": self._entity_b,
            "EntityBType": self._entity_b_type,
        }


class IndicatorsTimeline:
    def __init__(self, indicators: List[str] | None = None, category: str | None = None, message: str | None = None) -> None:
        if indicators is None:
            indicators = []
        try:
            demisto.params()
            default_category = "Integration Update"
        except AttributeError:
            default_category = "Automation Update"

        timelines = []
        # One dict shared by every indicator: the platform module does the same, so all items show the last value.
        timeline: Dict[str, Any] = {}
        for indicator in indicators:
            timeline["Value"] = indicator
            timeline["Category"] = category if category else default_category
            if message:
                timeline["Message"] = message
            timelines.append(timeline)
        self.indicators_timeline = timelines


class Common:
    class Indicator:
        @abstractmethod
        def to_context(self) -> Dict[str, Any]:
            pass

    class Hash:
        def __init__(self, hash_type: str, value: str) -> None:
            self.hash_type = hash_type
            self.value = value

        def to_context(self) -> Dict[str, Any]:
            return {"type": self.hash_type, "value": self.value}

    class DBotScore:
        NONE = 0
        GOOD = 1
        SUSPICIOUS = 2
        BAD = 3

        CONTEXT_PATH = (
            "DBotScore(val.Indicator && val.Indicator == obj.Indicator && val.Vendor == obj.Vendor && val.Type == obj.Type)"
        )
        CONTEXT_PATH_PRIOR_V5_5 = "DBotScore"

        def __init__(
            self,
            indicator: Any,
            indicator_type: Any,
            integration_name: str = "",
            score: Any = None,
            malicious_description: str | None = None,
            reliability: str | None = None,
            message: str | None = None,
        ) -> None:
            if not DBotScoreType.is_valid_type(indicator_type):
                raise TypeError("indicator_type must be of type DBotScoreType enum")
            if not Common.DBotScore.is_valid_score(score):
                raise TypeError("indicator `score` must be of type DBotScore enum")
            if reliability and not DBotScoreReliability.is_valid_type(reliability):
                raise TypeError("reliability must be of type DBotScoreReliability enum")

            self.indicator = indicator
            self.indicator_type = indicator_type
            if demisto.callingContext.get("integration"):
                # inside an integration the vendor is the brand the server reports
                context_integration_name = get_integration_name()
                self.integration_name = context_integration_name if context_integration_name else integration_name
            else:
                self.integration_name = integration_name
            self.score = score
            self.malicious_description = malicious_description
            self.reliability = reliability
            self.message = message

        @staticmethod
        def is_valid_score(score: Any) -> bool:
            return score in (Common.DBotScore.NONE, Common.DBotScore.GOOD, Common.DBotScore.SUSPICIOUS, Common.DBotScore.BAD)

        @staticmethod
        def get_context_path() -> str:
            if is_demisto_version_ge("5.5.0"):
                return Common.DBotScore.CONTEXT_PATH
            return Common.DBotScore.CONTEXT_PATH_PRIOR_V5_5

        def to_context(self) -> Dict[str, Any]:
            dbot_context: Dict[str, Any] = {
                "Indicator": self.indicator,
                "Type": self.indicator_type,
                "Vendor": self.integration_name,
                "Score": self.score,
            }
            if self.reliability:
                dbot_context["Reliability"] = self.reliability
            if self.message:
                dbot_context["Message"] = self.message
            return {Common.DBotScore.get_context_path(): dbot_context}

        def to_readable(self) -> str:
            return {0: "Unknown", 1: "Good", 2: "Suspicious", 3: "Bad"}.get(self.score, "Undefined")

    class File(Indicator):
        CONTEXT_PATH = (
            "File(val.MD5 && val.MD5 == obj.MD5 || val.SHA1 && val.SHA1 == obj.SHA1 || "
            "val.SHA256 && val.SHA256 == obj.SHA256 || val.SHA512 && val.SHA512 == obj.SHA512 || "
            "val.CRC32 && val.CRC32 == obj.CRC32 || val.CTPH && val.CTPH == obj.CTPH || "
            "val.SSDeep && val.SSDeep == obj.SSDeep)"
        )

        def __init__(
            self,
            dbot_score: Any,
            name: Any = None,
            entry_id: Any = None,
            size: Any = None,
            md5: Any = None,
            sha1: Any = None,
            sha256: Any = None,
            sha512: Any = None,
            ssdeep: Any = None,
            extension: Any = None,
            file_type: Any = None,
            hostname: Any = None,
            path: Any = None,
            company: Any = None,
            product_name: Any = None,
            digital_signature__publisher: Any = None,
            signature: Any = None,
            actor: Any = None,
            tags: Any = None,
            feed_related_indicators: Any = None,
            malware_family: Any = None,
            imphash: Any = None,
            quarantined: Any = None,
            campaign: Any = None,
            associated_file_names: Any = None,
            traffic_light_protocol: Any = None,
            organization: Any = None,
            community_notes: Any = None,
            publications: Any = None,
            threat_types: Any = None,
            behaviors: Any = None,
            relationships: Any = None,
            creation_date: Any = None,
            description: Any = None,
            hashes: Any = None,
            stix_id: Any = None,
            organization_prevalence: Any = None,
            global_prevalence: Any = None,
            organization_first_seen: Any = None,
            organization_last_seen: Any = None,
            first_seen_by_source: Any = None,
            last_seen_by_source: Any = None,
        ) -> None:
            self.name = name
            self.entry_id = entry_id
            self.size = size
            self.md5 = md5
            self.sha1 = sha1
            self.sha256 = sha256
            self.sha512 = sha512
            self.ssdeep = ssdeep
            self.extension = extension
            self.file_type = file_type
            self.hostname = hostname
            self.path = path
            self.company = company
            self.product_name = product_name
            self.digital_signature__publisher = digital_signature__publisher
            self.signature = signature
            self.actor = actor
            self.tags = tags
            self.feed_related_indicators = feed_related_indicators
            self.malware_family = malware_family
            self.imphash = imphash
            self.quarantined = quarantined
            self.campaign = campaign
            self.associated_file_names = associated_file_names
            self.traffic_light_protocol = traffic_light_protocol
            self.organization = organization
            self.community_notes = community_notes
            self.publications = publications
            self.threat_types = threat_types
            self.behaviors = behaviors
            self.relationships = relationships
            self.creation_date = creation_date
            self.description = description
            self.hashes = hashes
            self.stix_id = stix_id
            self.organization_prevalence = organization_prevalence
            self.global_prevalence = global_prevalence
            self.organization_first_seen = organization_first_seen
            self.organization_last_seen = organization_last_seen
            self.first_seen_by_source = first_seen_by_source
            self.last_seen_by_source = last_seen_by_source
            self.dbot_score = dbot_score

        def to_context(self) -> Dict[str, Any]:
            hashes: List[Dict[str, Any]] = []
            file_context: Dict[str, Any] = {"Hashes": hashes}
            for hash_type, value in (
                ("MD5", self.md5),
                ("SHA1", self.sha1),
                ("SHA256", self.sha256),
                ("SHA512", self.sha512),
                ("SSDeep", self.ssdeep),
                ("Imphash", self.imphash),
            ):
                if value:
                    hashes.append({"type": hash_type, "value": value})
            if self.hashes:
                hashes.extend(h.to_context() if hasattr(h, "to_context") else h for h in self.hashes)

            simple_fields = (
                ("Name", self.name),
                ("EntryID", self.entry_id),
                ("Size", self.size),
                ("MD5", self.md5),
                ("SHA1", self.sha1),
                ("SHA256", self.sha256),
                ("SHA512", self.sha512),
                ("SSDeep", self.ssdeep),
                ("Extension", self.extension),
                ("Type", self.file_type),
                ("Hostname", self.hostname),
                ("Path", self.path),
                ("Company", self.company),
                ("ProductName", self.product_name),
            )
            for key, value in simple_fields:
                if value:
                    file_context[key] = value
            if self.digital_signature__publisher:
                file_context["DigitalSignature"] = {"Publisher": self.digital_signature__publisher}
            if self.signature:
                file_context["Signature"] = self.signature.to_context()
            for key, value in (
                ("Actor", self.actor),
                ("Tags", self.tags),
                ("MalwareFamily", self.malware_family),
                ("Imphash", self.imphash),
                ("Quarantined", self.quarantined),
                ("Campaign", self.campaign),
                ("AssociatedFileNames", self.associated_file_names),
                ("TrafficLightProtocol", self.traffic_light_protocol),
                ("Organization", self.organization),
                ("CreationDate", self.creation_date),
                ("Description", self.description),
                ("STIXID", self.stix_id),
                ("OrganizationPrevalence", self.organization_prevalence),
                ("GlobalPrevalence", self.global_prevalence),
                ("OrganizationFirstSeen", self.organization_first_seen),
                ("OrganizationLastSeen", self.organization_last_seen),
                ("FirstSeenBySource", self.first_seen_by_source),
                ("LastSeenBySource", self.last_seen_by_source),
            ):
                if value:
                    file_context[key] = value
            for key, items in (
                ("FeedRelatedIndicators", self.feed_related_indicators),
                ("CommunityNotes", self.community_notes),
                ("Publications", self.publications),
                ("ThreatTypes", self.threat_types),
                ("Behavior", self.behaviors),
            ):
                if items:
                    file_context[key] = [item.to_context() for item in items]
            if self.relationships:
                file_context["Relationships"] = [r.to_context() for r in self.relationships if r.to_context()]
            if self.dbot_score and self.dbot_score.score == Common.DBotScore.BAD:
                file_context["Malicious"] = {
                    "Vendor": self.dbot_score.integration_name,
                    "Description": self.dbot_score.malicious_description,
                }

            ret_value: Dict[str, Any] = {Common.File.CONTEXT_PATH: file_context}
            if self.dbot_score:
                ret_value.update(self.dbot_score.to_context())
            return ret_value

    class Endpoint(Indicator):
        CONTEXT_PATH = "Endpoint(val.ID && val.ID == obj.ID && val.Vendor == obj.Vendor)"

        def __init__(
            self,
            id: Any,
            hostname: Any = None,
            ip_address: Any = None,
            domain: Any = None,
            mac_address: Any = None,
            os: Any = None,
            os_version: Any = None,
            dhcp_server: Any = None,
            bios_version: Any = None,
            model: Any = None,
            memory: Any = None,
            processors: Any = None,
            processor: Any = None,
            relationships: Any = None,
            vendor: Any = None,
            status: Any = None,
            is_isolated: Any = None,
        ) -> None:
            self.id = id
            self.hostname = hostname
            self.ip_address = ip_address
            self.domain = domain
            self.mac_address = mac_address
            self.os = os
            self.os_version = os_version
            self.dhcp_server = dhcp_server
            self.bios_version = bios_version
            self.model = model
            self.memory = memory
            self.processors = processors
            self.processor = processor
            self.relationships = relationships
            self.vendor = vendor
            self.status = status
            self.is_isolated = is_isolated

        def to_context(self) -> Dict[str, Any]:
            endpoint_context: Dict[str, Any] = {}
            for key, value in (
                ("ID", self.id),
                ("Hostname", self.hostname),
                ("IPAddress", self.ip_address),
                ("Domain", self.domain),
                ("MACAddress", self.mac_address),
                ("OS", self.os),
                ("OSVersion", self.os_version),
                ("DHCPServer", self.dhcp_server),
                ("BIOSVersion", self.bios_version),
                ("Model", self.model),
                ("Memory", self.memory),
                ("Processors", self.processors),
                ("Processor", self.processor),
            ):
                if value:
                    endpoint_context[key] = value
            if self.relationships:
                endpoint_context["Relationships"] = [r.to_context() for r in self.relationships if r.to_context()]
            if self.vendor:
                endpoint_context["Vendor"] = self.vendor
            if self.status:
                if self.status not in ENDPOINT_STATUS_OPTIONS:
                    raise ValueError("Status does not have a valid value such as: Online or Offline")
                endpoint_context["Status"] = self.status
            if self.is_isolated:
                if self.is_isolated not in ENDPOINT_ISISOLATED_OPTIONS:
                    raise ValueError(
                        "Is Isolated does not have a valid value such as: Yes, No, Pending isolation or Pending unisolation"
                    )
                endpoint_context["IsIsolated"] = self.is_isolated
            return {Common.Endpoint.CONTEXT_PATH: endpoint_context}


# ---------------------------------------------------------------------------------------------------------------------
# Polling


class ScheduledCommand:
    """Asks the server to run `command` again in `next_run_in_seconds` (minimum 10) with `args`."""

    VERSION_MISMATCH_ERROR = (
        "This command is not supported by this XSOAR server version. Please update your server version to 6.2.0 or later."
    )

    def __init__(
        self,
        command: str,
        next_run_in_seconds: int,
        args: Dict[str, Any] | None = None,
        timeout_in_seconds: int | None = None,
        items_remaining: int = 0,
    ) -> None:
        self.raise_error_if_not_supported()
        self._command = command
        if next_run_in_seconds < 10:
            demisto.info(
                f"ScheduledCommandConfiguration provided value for next_run_in_seconds: {next_run_in_seconds} is "
                "too low - minimum interval is 10 seconds. next_run_in_seconds was set to 10 seconds."
            )
            next_run_in_seconds = 10
        self._next_run = str(next_run_in_seconds)
        self._args = args
        self._timeout = str(timeout_in_seconds) if timeout_in_seconds else None
        self._items_remaining = items_remaining

    @staticmethod
    def raise_error_if_not_supported() -> bool:
        return True

    @staticmethod
    def supports_polling() -> bool:
        return True

    def to_results(self) -> Dict[str, Any]:
        return assign_params(
            PollingCommand=self._command,
            NextRun=self._next_run,
            PollingArgs=self._args,
            Timeout=self._timeout,
            PollingItemsRemaining=self._items_remaining,
        )


def is_scheduled_command_retry() -> bool:
    calling_context = demisto.callingContext.get("context", {})
    parent_entry = calling_context.get("ParentEntry") or {}
    return bool(parent_entry.get("polling"))


# ---------------------------------------------------------------------------------------------------------------------
# Command results


class CommandResults:
    """One War Room entry: outputs for the context, readable output, raw response, indicators, polling."""

    def __init__(
        self,
        outputs_prefix: str | None = None,
        outputs_key_field: Any = None,
        outputs: Any = None,
        indicators: List[Any] | None = None,
        readable_output: str | None = None,
        raw_response: Any = None,
        indicators_timeline: IndicatorsTimeline | None = None,
        indicator: Any = None,
        ignore_auto_extract: bool = False,
        mark_as_note: bool = False,
        tags: List[str] | None = None,
        scheduled_command: ScheduledCommand | None = None,
        relationships: List[EntityRelationship] | None = None,
        entry_type: int | None = None,
        content_format: str | None = None,
        execution_metrics: List[Dict[str, Any]] | None = None,
        replace_existing: bool = False,
    ) -> None:
        if raw_response is None:
            raw_response = outputs
        if outputs is not None and not isinstance(outputs, dict) and not outputs_prefix:
            raise ValueError("outputs_prefix is missing")
        if outputs_prefix == ".":
            raise ValueError("outputs_prefix cannot be a period.")
        if indicators and indicator:
            raise ValueError("indicators is DEPRECATED, use only indicator")
        if entry_type is None:
            entry_type = EntryType.NOTE

        self.indicators = indicators
        self.indicator = indicator
        self.entry_type = entry_type
        self.outputs_prefix = outputs_prefix
        self.outputs_key_field = outputs_key_field  # the value as given; `_outputs_key_field` is the normalised list
        self._outputs_key_field: List[str] | None
        if not outputs_key_field:
            self._outputs_key_field = None
        elif isinstance(outputs_key_field, STRING_TYPES):
            self._outputs_key_field = [outputs_key_field]  # type: ignore[list-item]
        elif isinstance(outputs_key_field, list):
            self._outputs_key_field = outputs_key_field
        else:
            raise TypeError("outputs_key_field must be of type str or list")
        self.outputs = outputs
        self.raw_response = raw_response
        self.readable_output = readable_output
        self.indicators_timeline = indicators_timeline
        self.ignore_auto_extract = ignore_auto_extract
        self.mark_as_note = mark_as_note
        self.tags = tags
        self.scheduled_command = scheduled_command
        self.relationships = relationships
        if content_format is not None and not EntryFormat.is_valid_type(content_format):
            raise TypeError(f"content_format {content_format} is invalid, see CommonServerPython.EntryFormat")
        self.content_format = content_format
        self.execution_metrics = execution_metrics
        self.replace_existing = replace_existing

    def to_context(self) -> Dict[str, Any]:
        outputs: Dict[str, Any] = {}
        human_readable: Any = self.readable_output if self.readable_output else None
        raw_response = self.raw_response
        entry_type = self.entry_type

        indicators = [self.indicator] if self.indicator else self.indicators
        if indicators:
            for indicator in indicators:
                for key, value in indicator.to_context().items():
                    outputs.setdefault(key, []).append(value)

        indicators_timeline = self.indicators_timeline.indicators_timeline if self.indicators_timeline else []

        if self.outputs is not None and self.outputs != []:
            if not self.readable_output:
                # no readable output given: a table of the outputs
                if isinstance(self.outputs, (dict, list)):
                    human_readable = tableToMarkdown("Results", self.outputs)
                else:
                    human_readable = self.outputs
            if self.replace_existing and self.outputs_prefix:
                path, _, last_key = self.outputs_prefix.rpartition(".")
                if not path:
                    raise DemistoException("outputs_prefix must be a nested path to replace an existing key.")
                outputs[f"{path}(true)"] = {last_key: self.outputs}
            elif self.outputs_prefix and self._outputs_key_field:
                key_condition = " && ".join(f"val.{key} && val.{key} == obj.{key}" for key in self._outputs_key_field)
                outputs[f"{self.outputs_prefix}({key_condition})"] = self.outputs
            elif self.outputs_prefix:
                outputs[str(self.outputs_prefix)] = self.outputs
            else:
                outputs.update(self.outputs)

        relationships = [r.to_entry() for r in self.relationships if r.to_entry()] if self.relationships else []

        content_format = self.content_format
        if content_format is None:
            content_format = EntryFormat.TEXT if isinstance(raw_response, (str, bytes, int)) else EntryFormat.JSON

        if self.execution_metrics:
            entry_type = EntryType.EXECUTION_METRICS
            raw_response = "Metrics reported successfully."

        return_entry: Dict[str, Any] = {
            "Type": entry_type,
            "ContentsFormat": content_format,
            "Contents": raw_response,
            "HumanReadable": human_readable,
            "EntryContext": outputs,
            "IndicatorTimeline": indicators_timeline,
            "IgnoreAutoExtract": bool(self.ignore_auto_extract),
            "Note": bool(self.mark_as_note),
            "Relationships": relationships,
        }
        if self.tags:
            return_entry["Tags"] = self.tags
        if self.scheduled_command:
            return_entry.update(self.scheduled_command.to_results())
        if self.execution_metrics:
            return_entry["APIExecutionMetrics"] = self.execution_metrics
        return return_entry


class PollResult:
    """What a function decorated with `polling_function` returns: the result, and whether to poll again."""

    def __init__(
        self,
        response: Any,
        continue_to_poll: Union[bool, Callable] = False,
        args_for_next_run: Dict[str, Any] | None = None,
        partial_result: CommandResults | None = None,
    ) -> None:
        self.response = response
        self.continue_to_poll = continue_to_poll
        self.args_for_next_run = args_for_next_run
        self.partial_result = partial_result


def polling_function(
    name: str,
    interval: int = 30,
    timeout: int = 600,
    poll_message: str = "Fetching Results:",
    polling_arg_name: str = "polling",
    requires_polling_arg: bool = True,
) -> Callable:
    def dec(func: Callable) -> Callable:
        def inner(args: Dict[str, Any], *arguments: Any, **kwargs: Any) -> Any:
            if not requires_polling_arg or argToBoolean(args.get(polling_arg_name, False)):
                ScheduledCommand.raise_error_if_not_supported()
                poll_result = func(args, *arguments, **kwargs)
                continue_to_poll = poll_result.continue_to_poll
                should_poll = continue_to_poll if isinstance(continue_to_poll, bool) else continue_to_poll()
                if not should_poll:
                    return poll_result.response

                readable_output = poll_message if not args.get("hide_polling_output") else None
                poll_args = poll_result.args_for_next_run or args
                poll_args["hide_polling_output"] = True  # the platform mutates the args dict too

                poll_response = poll_result.partial_result or CommandResults(readable_output=readable_output)
                poll_response.scheduled_command = ScheduledCommand(
                    command=name, next_run_in_seconds=interval, args=poll_args, timeout_in_seconds=timeout
                )
                return poll_response
            return func(args, *arguments, **kwargs).response

        return inner

    return dec


# ---------------------------------------------------------------------------------------------------------------------
# Mirroring


class GetRemoteDataArgs:
    def __init__(self, args: Dict[str, Any]) -> None:
        self.remote_incident_id = args["id"]
        self.last_update = args["lastUpdate"]


class GetModifiedRemoteDataArgs:
    def __init__(self, args: Dict[str, Any]) -> None:
        self.last_update = args["lastUpdate"]


class UpdateRemoteSystemArgs:
    def __init__(self, args: Dict[str, Any]) -> None:
        self.data = args.get("data")
        self.entries = args.get("entries")
        self.incident_changed = args.get("incidentChanged")
        self.remote_incident_id = args.get("remoteId")
        self.inc_status = args.get("status")
        self.delta = args.get("delta")


class GetRemoteDataResponse:
    def __init__(self, mirrored_object: Any, entries: List[Any]) -> None:
        self.mirrored_object = mirrored_object
        self.entries = entries

    def extract_for_local(self) -> List[Any] | None:
        if self.mirrored_object:
            return [self.mirrored_object, *self.entries]
        return None


class GetModifiedRemoteDataResponse:
    def __init__(self, modified_incident_ids: List[str]) -> None:
        self.modified_incident_ids = modified_incident_ids

    def to_entry(self) -> Dict[str, Any]:
        demisto.info(f"Modified incidents: {self.modified_incident_ids}")
        return {"Contents": self.modified_incident_ids, "Type": EntryType.NOTE, "ContentsFormat": EntryFormat.JSON}


class SchemeTypeMapping:
    def __init__(self, type_name: str = "", fields: Dict[str, str] | None = None) -> None:
        self.type_name = type_name
        self.fields = fields if fields else {}

    def add_field(self, name: str, description: str = "") -> None:
        self.fields.update({name: description})

    def extract_mapping(self) -> Dict[str, Any]:
        return {self.type_name: self.fields}


class GetMappingFieldsResponse:
    def __init__(self, scheme_types_mapping: List[SchemeTypeMapping] | None = None) -> None:
        self.scheme_types_mappings = scheme_types_mapping if scheme_types_mapping else []

    def add_scheme_type(self, scheme_type_mapping: SchemeTypeMapping) -> None:
        self.scheme_types_mappings.append(scheme_type_mapping)

    def extract_mapping(self) -> Dict[str, Any]:
        all_mappings: Dict[str, Any] = {}
        for scheme_types_mapping in self.scheme_types_mappings:
            all_mappings.update(scheme_types_mapping.extract_mapping())
        return all_mappings


# ---------------------------------------------------------------------------------------------------------------------
# Returning results


class BaseWidget:
    @abstractmethod
    def to_display(self) -> Any:
        pass


def return_results(results: Any) -> None:
    is_integration = is_integration_command_execution()
    if results is None:
        demisto.results(None)
        return

    if results and isinstance(results, list):
        old_format_results = []
        for result in results:
            if isinstance(result, (dict, str)):
                # old-style entries are sent together, in one call, after the others
                old_format_results.append(result)
            else:
                return_results(result)
        if old_format_results:
            demisto.results(old_format_results)
        return

    if isinstance(results, CommandResults):
        context = results.to_context()
        if not is_integration and context.get("Type") == EntryType.EXECUTION_METRICS:
            demisto.debug("Execution metrics are not supported in scripts")
            return
        demisto.results(context)
        return

    if isinstance(results, BaseWidget):
        demisto.results(results.to_display())
        return

    if isinstance(results, GetMappingFieldsResponse):
        demisto.results(results.extract_mapping())
        return

    if isinstance(results, GetRemoteDataResponse):
        demisto.results(results.extract_for_local())
        return

    if isinstance(results, GetModifiedRemoteDataResponse):
        demisto.results(results.to_entry())
        return

    if hasattr(results, "to_entry"):
        demisto.results(results.to_entry())
        return

    demisto.results(results)


def return_error(message: Any, error: Any = "", outputs: Any = None) -> None:
    is_command = hasattr(demisto, "command")
    is_server_handled = is_command and demisto.command() in _SERVER_HANDLED_COMMANDS
    message = LOG(message)
    if error:
        LOG(str(error))
    if any(sys.exc_info()):
        trace = traceback.format_exc()
        LOG(trace)
        if is_debug_mode():
            message = f"{message}\n\n{trace}"
    LOG.print_log()

    if is_command and demisto.command() == "get-modified-remote-data":
        is_not_implemented = isinstance(error, NotImplementedError) or sys.exc_info()[0] is NotImplementedError
        if not is_not_implemented:
            message = "skip update. error: " + message

    if is_server_handled:
        raise Exception(message)

    if len(message) > MAX_ERROR_MESSAGE_LENGTH:
        half_length = MAX_ERROR_MESSAGE_LENGTH // 2
        message = message[:half_length] + "...This error body was truncated..." + message[-half_length:]
    demisto.results(
        {"Type": entryTypes["error"], "ContentsFormat": formats["text"], "Contents": message, "EntryContext": outputs}
    )
    sys.exit(0)


def return_warning(
    message: Any, exit: bool = False, warning: Any = "", outputs: Any = None, ignore_auto_extract: bool = False
) -> None:
    LOG(message)
    if warning:
        LOG(warning)
    LOG.print_log()
    demisto.results(
        {
            "Type": entryTypes["warning"],
            "ContentsFormat": formats["text"],
            "IgnoreAutoExtract": ignore_auto_extract,
            "Contents": str(message),
            "EntryContext": outputs,
        }
    )
    if exit:
        sys.exit(0)


def return_outputs(
    readable_output: Any, outputs: Any = None, raw_response: Any = None, timeline: Any = None, ignore_auto_extract: bool = False
) -> None:
    timeline_list = [timeline] if isinstance(timeline, dict) else timeline
    if timeline_list:
        for timeline_item in timeline_list:
            if "Category" not in timeline_item:
                timeline_item["Category"] = "Integration Update"

    return_entry = {
        "Type": entryTypes["note"],
        "HumanReadable": readable_output,
        "ContentsFormat": formats["text"] if isinstance(raw_response, STRING_TYPES) else formats["json"],
        "Contents": raw_response,
        "EntryContext": outputs,
        "IgnoreAutoExtract": ignore_auto_extract,
        "IndicatorTimeline": timeline_list,
    }
    if readable_output and not outputs and not raw_response:
        return_entry["Contents"] = readable_output
        return_entry["ContentsFormat"] = formats["text"]
    elif outputs and raw_response is None:
        return_entry["Contents"] = outputs
    demisto.results(return_entry)


def fileResult(filename: Any, data: Any, file_type: int | None = None) -> Dict[str, Any]:
    if file_type is None:
        file_type = entryTypes["file"]
    temp = demisto.uniqueFile()
    if isinstance(data, str):
        data = data.encode("utf-8")
    with open(demisto.investigation()["id"] + "_" + temp, "wb") as file:
        file.write(data)

    if isinstance(filename, str):
        replaced_filename = filename.replace("../", "")
        if filename != replaced_filename:
            demisto.debug(f"replaced {filename} with new file name {replaced_filename}")
            filename = replaced_filename

    return {"Contents": "", "ContentsFormat": formats["text"], "Type": file_type, "File": filename, "FileID": temp}


def file_result_existing_file(filename: str, saveFilename: str | None = None) -> Dict[str, Any]:
    temp = demisto.uniqueFile()
    os.rename(filename, demisto.investigation()["id"] + "_" + temp)
    return {
        "Contents": "",
        "ContentsFormat": formats["text"],
        "Type": entryTypes["file"],
        "File": saveFilename if saveFilename else filename,
        "FileID": temp,
    }


# ---------------------------------------------------------------------------------------------------------------------
# Scripts: running other commands


def is_error(execute_command_result: Any) -> bool:
    if execute_command_result is None:
        return False
    if isinstance(execute_command_result, list):
        for entry in execute_command_result:
            if isinstance(entry, dict) and entry["Type"] == entryTypes["error"]:
                return True
    return isinstance(execute_command_result, dict) and execute_command_result["Type"] == entryTypes["error"]


def get_error(execute_command_result: Any) -> str:
    if not is_error(execute_command_result):
        raise ValueError("execute_command_result has no error entry. before using get_error use is_error")
    if isinstance(execute_command_result, dict):
        return execute_command_result["Contents"]
    error_messages = [
        entry["Contents"] for entry in execute_command_result if isinstance(entry, dict) and entry["Type"] == entryTypes["error"]
    ]
    return "\n".join(error_messages)


def execute_command(command: str, args: Any, extract_contents: bool = True, fail_on_error: bool = True) -> Any:
    res = demisto.executeCommand(command, args)
    if is_error(res):
        error_message = get_error(res)
        if fail_on_error:
            raise DemistoException(f"Failed to execute {command}. Error details:\n{error_message}")
        return False, error_message

    if not extract_contents:
        return res if fail_on_error else (True, res)

    contents = [entry.get("Contents", {}) for entry in res]
    contents_value = contents[0] if len(contents) == 1 else contents
    return contents_value if fail_on_error else (True, contents_value)


def retry(times: int = 3, delay: float = 1, exceptions: Any = Exception) -> Callable:
    def _retry(func: Callable) -> Callable:
        func_name = func.__name__

        @wraps(func)
        def _inner(*args: Any, **kwargs: Any) -> Any:
            for attempt in range(1, times + 1):
                demisto.debug(f"Running func {func_name}, attempt number {attempt}")
                try:
                    return func(*args, **kwargs)
                except exceptions as error:
                    demisto.debug(f"Failed running func {func_name}, attempt number {attempt}: {error}")
                    if attempt == times:
                        raise
                    time.sleep(delay)
            return None

        return _inner

    return _retry


# ---------------------------------------------------------------------------------------------------------------------
# Fetch helpers


def get_fetch_run_time_range(
    last_run: Dict[str, Any], first_fetch: str, look_back: int = 0, timezone: int = 0, date_format: str = "%Y-%m-%dT%H:%M:%S"
) -> Tuple[str, str]:
    parse_settings: Any = {"TIMEZONE": "UTC", "RETURN_AS_TIMEZONE_AWARE": True}
    last_run_time = last_run and "time" in last_run and last_run["time"]
    now = get_current_time(timezone)
    if not last_run_time:
        start_time = dateparser.parse(first_fetch, settings=parse_settings) + timedelta(hours=timezone)  # type: ignore[operator]
    else:
        start_time = dateparser.parse(last_run_time, settings=parse_settings)  # type: ignore[assignment]

    if look_back and look_back > 0 and now - start_time < timedelta(minutes=look_back):
        start_time = now - timedelta(minutes=look_back)

    return start_time.strftime(date_format), now.strftime(date_format)


def filter_incidents_by_duplicates_and_limit(
    incidents_res: List[Dict[str, Any]], last_run: Dict[str, Any], fetch_limit: int, id_field: str
) -> List[Dict[str, Any]]:
    found_incidents = last_run.get("found_incident_ids", {})
    incidents = [incident for incident in incidents_res if incident[id_field] not in found_incidents]
    return incidents[:fetch_limit]


def get_latest_incident_created_time(
    incidents: List[Dict[str, Any]],
    created_time_field: str,
    date_format: str = "%Y-%m-%dT%H:%M:%S",
    increase_last_run_time: bool = False,
) -> str:
    latest_incident_time = datetime.strptime(incidents[0][created_time_field], date_format)
    for incident in incidents:
        incident_time = datetime.strptime(incident[created_time_field], date_format)
        if incident_time > latest_incident_time:
            latest_incident_time = incident_time
    if increase_last_run_time:
        latest_incident_time = latest_incident_time + timedelta(milliseconds=1)
    return latest_incident_time.strftime(date_format)


def remove_old_incidents_ids(found_incidents_ids: Dict[str, int], current_time: int, look_back: int) -> Dict[str, int]:
    deletion_threshold_in_seconds = look_back * 60 * 2
    kept = {}
    for incident_id, addition_time in found_incidents_ids.items():
        if current_time - addition_time < deletion_threshold_in_seconds:
            kept[incident_id] = addition_time
        else:
            demisto.debug(f"Deleting incident id {incident_id} from the last run object.")
    return kept


def get_found_incident_ids(
    last_run: Dict[str, Any], incidents: List[Dict[str, Any]], look_back: int, id_field: str, remove_incident_ids: bool = True
) -> Dict[str, int]:
    found_incidents = last_run.get("found_incident_ids", {})
    current_time = int(time.time())
    for incident in incidents:
        found_incidents[incident[id_field]] = current_time
    if remove_incident_ids:
        found_incidents = remove_old_incidents_ids(found_incidents, current_time, look_back)
    return found_incidents


def create_updated_last_run_object(
    last_run: Dict[str, Any],
    incidents: List[Dict[str, Any]],
    fetch_limit: int,
    look_back: int,
    start_fetch_time: str,
    end_fetch_time: str,
    created_time_field: str,
    date_format: str = "%Y-%m-%dT%H:%M:%S",
    increase_last_run_time: bool = False,
    new_offset: int | None = None,
) -> Tuple[Dict[str, Any], bool]:
    remove_incident_ids = True
    new_limit = len(last_run.get("found_incident_ids", [])) + len(incidents) + fetch_limit
    if new_offset:
        # the same time window is fetched again from the next offset: the ids found so far must be kept
        remove_incident_ids = False
        new_last_run: Dict[str, Any] = {"time": start_fetch_time}
    elif len(incidents) == 0:
        new_last_run = {"time": end_fetch_time}
    else:
        new_last_run = {
            "time": get_latest_incident_created_time(incidents, created_time_field, date_format, increase_last_run_time)
        }
    new_last_run["limit"] = new_limit if look_back > 0 else fetch_limit
    if new_offset is not None:
        new_last_run["offset"] = new_offset
    return new_last_run, remove_incident_ids


def update_last_run_object(
    last_run: Dict[str, Any],
    incidents: List[Dict[str, Any]],
    fetch_limit: int,
    start_fetch_time: str,
    end_fetch_time: str,
    look_back: int,
    created_time_field: str,
    id_field: str,
    date_format: str = "%Y-%m-%dT%H:%M:%S",
    increase_last_run_time: bool = False,
    new_offset: int | None = None,
) -> Dict[str, Any]:
    updated_last_run, remove_incident_ids = create_updated_last_run_object(
        last_run,
        incidents,
        fetch_limit,
        look_back,
        start_fetch_time,
        end_fetch_time,
        created_time_field,
        date_format,
        increase_last_run_time,
        new_offset,
    )
    found_incidents = get_found_incident_ids(last_run, incidents, look_back, id_field, remove_incident_ids)
    if found_incidents:
        updated_last_run["found_incident_ids"] = found_incidents
    last_run.update(updated_last_run)
    return last_run


def calculate_new_offset(old_offset: int, num_incidents: int, total_incidents: int) -> int:
    if not num_incidents:
        return 0
    if total_incidents and old_offset + num_incidents >= total_incidents:
        return 0
    return old_offset + num_incidents


# ---------------------------------------------------------------------------------------------------------------------
# Execution metrics


class ExecutionMetrics:
    """Counts API calls by outcome; `metrics` becomes a CommandResults to report once any counter is set."""

    def __init__(
        self,
        success: int = 0,
        quota_error: int = 0,
        general_error: int = 0,
        auth_error: int = 0,
        service_error: int = 0,
        connection_error: int = 0,
        proxy_error: int = 0,
        ssl_error: int = 0,
        timeout_error: int = 0,
        retry_error: int = 0,
    ) -> None:
        self._metrics: List[Dict[str, Any]] = []
        self.metrics: CommandResults | None = None
        self.success = success
        self.quota_error = quota_error
        self.general_error = general_error
        self.auth_error = auth_error
        self.service_error = service_error
        self.connection_error = connection_error
        self.proxy_error = proxy_error
        self.ssl_error = ssl_error
        self.timeout_error = timeout_error
        self.retry_error = retry_error

    _COUNTERS = {
        "success": ErrorTypes.SUCCESS,
        "quota_error": ErrorTypes.QUOTA_ERROR,
        "general_error": ErrorTypes.GENERAL_ERROR,
        "auth_error": ErrorTypes.AUTH_ERROR,
        "service_error": ErrorTypes.SERVICE_ERROR,
        "connection_error": ErrorTypes.CONNECTION_ERROR,
        "proxy_error": ErrorTypes.PROXY_ERROR,
        "ssl_error": ErrorTypes.SSL_ERROR,
        "timeout_error": ErrorTypes.TIMEOUT_ERROR,
        "retry_error": ErrorTypes.RETRY_ERROR,
    }

    def __setattr__(self, name: str, value: Any) -> None:
        object.__setattr__(self, name, value)
        if name in ExecutionMetrics._COUNTERS:
            self.update_metrics(ExecutionMetrics._COUNTERS[name], value)

    @staticmethod
    def is_supported() -> bool:
        return is_demisto_version_ge("6.8.0")

    def update_metrics(self, metric_type: str, metric_value: int) -> None:
        if metric_value > 0:
            for metric in self._metrics:
                if metric["Type"] == metric_type:
                    metric["APICallsCount"] = metric_value
                    break
            else:
                self._metrics.append({"Type": metric_type, "APICallsCount": metric_value})
            self.metrics = CommandResults(execution_metrics=self._metrics)


def append_metrics(execution_metrics: ExecutionMetrics, results: List[Any]) -> List[Any]:
    if execution_metrics.metrics is not None and execution_metrics.is_supported():
        results.append(execution_metrics.metrics)
    return results


# ---------------------------------------------------------------------------------------------------------------------
# Proxy and certificate environment


def add_http_prefix_if_missing(address: str = "") -> str:
    if address and not any(address.startswith(prefix) for prefix in _PROXY_PREFIXES):
        return "http://" + address
    return address


def skip_proxy() -> None:
    for key in ("HTTP_PROXY", "HTTPS_PROXY", "http_proxy", "https_proxy"):
        if key in os.environ:
            del os.environ[key]


def ensure_proxy_has_http_prefix() -> None:
    for key in ("HTTP_PROXY", "HTTPS_PROXY", "http_proxy", "https_proxy"):
        if os.environ.get(key):
            os.environ[key] = add_http_prefix_if_missing(os.environ[key])


def skip_cert_verification() -> None:
    for key in ("REQUESTS_CA_BUNDLE", "CURL_CA_BUNDLE"):
        if key in os.environ:
            del os.environ[key]


def handle_proxy(
    proxy_param_name: str = "proxy",
    checkbox_default_value: bool = False,
    handle_insecure: bool = True,
    insecure_param_name: str | None = None,
) -> Dict[str, str]:
    proxies: Dict[str, str] = {}
    if demisto.params().get(proxy_param_name, checkbox_default_value):
        ensure_proxy_has_http_prefix()
        proxies = {
            "http": os.environ.get("HTTP_PROXY") or os.environ.get("http_proxy", ""),
            "https": os.environ.get("HTTPS_PROXY") or os.environ.get("https_proxy", ""),
        }
    else:
        skip_proxy()

    if handle_insecure:
        param_names = ("insecure", "unsecure") if insecure_param_name is None else (insecure_param_name,)
        for param_name in param_names:
            if demisto.params().get(param_name, False):
                skip_cert_verification()
    return proxies


# ---------------------------------------------------------------------------------------------------------------------
# HTTP client


class SSLAdapter(HTTPAdapter):
    """HTTPS with the commonly used ciphers Python 3.10 no longer enables, and no hostname check when not verifying."""

    context = create_urllib3_context(ciphers=CIPHERS_STRING)

    def __init__(self, verify: bool = True, **kwargs: Any) -> None:
        if not verify:
            self.context.check_hostname = False
            if ssl.OPENSSL_VERSION_INFO >= (3, 0, 0, 0):
                self.context.options |= 0x4  # OP_LEGACY_SERVER_CONNECT
        super().__init__(**kwargs)

    def init_poolmanager(self, *args: Any, **kwargs: Any) -> None:
        kwargs["ssl_context"] = self.context
        super().init_poolmanager(*args, **kwargs)

    def proxy_manager_for(self, *args: Any, **kwargs: Any) -> Any:
        kwargs["ssl_context"] = self.context
        return super().proxy_manager_for(*args, **kwargs)


class BaseClient:
    """HTTP client base for integrations: one session, platform-standard error messages, optional retries."""

    REQUESTS_TIMEOUT = 60

    def __init__(
        self,
        base_url: str,
        verify: bool = True,
        proxy: bool = False,
        ok_codes: Any = (),
        headers: Dict[str, Any] | None = None,
        auth: Any = None,
        timeout: float = REQUESTS_TIMEOUT,
    ) -> None:
        self._base_url = base_url
        self._verify = verify
        self._ok_codes = ok_codes
        self._headers = headers
        self._auth = auth
        self._session = requests.Session()

        # Python 3.10 hardened the default TLS settings; old servers need the adapter's ciphers.
        if not verify:
            self._session.mount("https://", SSLAdapter(verify=verify))

        if proxy:
            ensure_proxy_has_http_prefix()
        else:
            skip_proxy()

        if not verify:
            skip_cert_verification()

        entity_timeout = os.getenv("REQUESTS_TIMEOUT." + (get_integration_name() or get_script_name()), "")
        system_timeout = os.getenv("REQUESTS_TIMEOUT", "")
        self.timeout = float(entity_timeout or system_timeout or timeout)

        self.execution_metrics = ExecutionMetrics()

    def __del__(self) -> None:
        try:
            self._return_execution_metrics_results()
            self._session.close()
        except AttributeError:  # a client whose __init__ failed half-way
            pass

    def _return_execution_metrics_results(self) -> None:
        if self.execution_metrics.metrics:
            return_results(cast(CommandResults, self.execution_metrics.metrics))

    def _implement_retry(
        self,
        retries: int = 0,
        status_list_to_retry: Iterable[int] | None = None,
        backoff_factor: float = 5,
        raise_on_redirect: bool = False,
        raise_on_status: bool = False,
    ) -> None:
        retry = Retry(
            total=retries,
            read=retries,
            connect=retries,
            backoff_factor=backoff_factor,
            status=retries,
            status_forcelist=cast(Any, status_list_to_retry),
            raise_on_status=raise_on_status,
            raise_on_redirect=raise_on_redirect,
            allowed_methods=frozenset(["GET", "POST", "PUT", "PATCH", "DELETE"]),
        )
        http_adapter: HTTPAdapter = HTTPAdapter(max_retries=retry)
        if not self._verify:
            http_adapter = SSLAdapter(max_retries=retry, verify=self._verify)
        self._session.mount("https://", http_adapter)

    def _http_request(
        self,
        method: str,
        url_suffix: str = "",
        full_url: str | None = None,
        headers: Dict[str, Any] | None = None,
        auth: Any = None,
        json_data: Any = None,
        params: Any = None,
        data: Any = None,
        files: Any = None,
        timeout: float | None = None,
        resp_type: str = "json",
        ok_codes: Any = None,
        return_empty_response: bool = False,
        retries: int = 0,
        status_list_to_retry: Iterable[int] | None = None,
        backoff_factor: float = 5,
        raise_on_redirect: bool = False,
        raise_on_status: bool = False,
        error_handler: Callable[[requests.Response], Any] | None = None,
        empty_valid_codes: Iterable[int] | None = None,
        params_parser: Callable | None = None,
        with_metrics: bool = False,
        **kwargs: Any,
    ) -> Any:
        try:
            address = full_url if full_url else urljoin(self._base_url, url_suffix)
            headers = headers if headers else self._headers
            auth = auth if auth else self._auth
            if retries:
                self._implement_retry(retries, status_list_to_retry, backoff_factor, raise_on_redirect, raise_on_status)
            if not timeout:
                timeout = self.timeout
            if params_parser:
                params = urllib.parse.urlencode(params, quote_via=params_parser)

            res = self._session.request(
                method,
                address,
                verify=self._verify,
                params=params,
                data=data,
                json=json_data,
                files=files,
                headers=headers,
                auth=auth,
                timeout=timeout,
                **kwargs,
            )
            if not self._is_status_code_valid(res, ok_codes):
                self._handle_error(error_handler, res, with_metrics)

            return self._handle_success(res, resp_type, empty_valid_codes, return_empty_response, with_metrics)

        except requests.exceptions.ConnectTimeout as exception:
            if with_metrics:
                self.execution_metrics.timeout_error += 1
            err_msg = (
                "Connection Timeout Error - potential reasons might be that the Server URL parameter"
                " is incorrect or that the Server is not accessible from your host."
            )
            raise DemistoException(err_msg, exception)
        except requests.exceptions.SSLError as exception:
            if with_metrics:
                self.execution_metrics.ssl_error += 1
            if not self._verify:  # 'Trust any certificate' is already selected: nothing to suggest
                raise
            err_msg = (
                "SSL Certificate Verification Failed - try selecting 'Trust any certificate' checkbox in"
                " the integration configuration."
            )
            raise DemistoException(err_msg, exception)
        except requests.exceptions.ProxyError as exception:
            if with_metrics:
                self.execution_metrics.proxy_error += 1
            err_msg = (
                "Proxy Error - if the 'Use system proxy' checkbox in the integration configuration is"
                " selected, try clearing the checkbox."
            )
            raise DemistoException(err_msg, exception)
        except requests.exceptions.ConnectionError as exception:
            if with_metrics:
                self.execution_metrics.connection_error += 1
            error_class = str(exception.__class__)
            err_type = "<" + error_class[error_class.find("'") + 1 : error_class.rfind("'")] + ">"
            err_msg = (
                "Verify that the server URL parameter is correct and that you have access to the server from your host."
                f"\nError Type: {err_type}"
            )
            if exception.errno and exception.strerror:
                err_msg += f"\nError Number: [{exception.errno}]\nMessage: {exception.strerror}\n"
            else:
                err_msg += f"\n{exception}"
            raise DemistoException(err_msg, exception)
        except requests.exceptions.RetryError as exception:
            if with_metrics:
                self.execution_metrics.retry_error += 1
            try:
                reason = f"Reason: {exception.args[0].reason.args[0]}"
            except Exception:
                reason = ""
            err_msg = f"Max Retries Error- Request attempts with {retries} retries failed. \n{reason}"
            raise DemistoException(err_msg, exception)

    def _handle_error(self, error_handler: Callable | None, res: requests.Response, should_update_metrics: bool) -> None:
        if should_update_metrics:
            self._update_metrics(res, success=False)
        if error_handler:
            error_handler(res)
        else:
            self.client_error_handler(res)

    def _handle_success(
        self,
        res: requests.Response,
        resp_type: str,
        empty_valid_codes: Iterable[int] | None,
        return_empty_response: bool,
        should_update_metrics: bool,
    ) -> Any:
        if should_update_metrics:
            self._update_metrics(res, success=True)
        if not empty_valid_codes:
            empty_valid_codes = [204]
        if res.status_code in empty_valid_codes and return_empty_response:
            return res
        return self.cast_response(res, resp_type)

    def cast_response(self, res: requests.Response, resp_type: str, raise_on_error: bool = True) -> Any:
        resp_type = resp_type.lower()
        try:
            if resp_type == "json":
                return res.json()
            if resp_type == "text":
                return res.text
            if resp_type == "content":
                return res.content
            if resp_type == "xml":
                ET.fromstring(res.text)  # validates only: the platform returns the response itself
            return res
        except ValueError as exception:
            if raise_on_error:
                raise DemistoException(f"Failed to parse {resp_type} object from response: {res.content!r}", exception, res)
            return None

    def _is_status_code_valid(self, response: requests.Response, ok_codes: Any = None) -> bool:
        status_codes = ok_codes if ok_codes else self._ok_codes
        if status_codes:
            return response.status_code in status_codes
        return response.ok

    def client_error_handler(self, res: requests.Response) -> None:
        err_msg = f"Error in API call [{res.status_code}] - {res.reason}"
        try:
            error_entry = res.json()
        except ValueError:
            err_msg += f"\n{res.text}"
            raise DemistoException(err_msg, res=res)
        err_msg += f"\n{json.dumps(error_entry)}"
        raise DemistoException(err_msg, res=res)

    def _update_metrics(self, res: requests.Response, success: bool) -> None:
        if success:
            if not self.is_polling_in_progress(res):
                self.execution_metrics.success += 1
            return
        error_type = self.determine_error_type(res)
        if error_type == ErrorTypes.QUOTA_ERROR:
            self.execution_metrics.quota_error += 1
        elif error_type == ErrorTypes.AUTH_ERROR:
            self.execution_metrics.auth_error += 1
        elif error_type == ErrorTypes.SERVICE_ERROR:
            self.execution_metrics.service_error += 1
        elif error_type == ErrorTypes.GENERAL_ERROR:
            self.execution_metrics.general_error += 1

    def determine_error_type(self, response: requests.Response) -> str:
        if response.status_code == 401:
            return ErrorTypes.AUTH_ERROR
        if response.status_code == 429:
            return ErrorTypes.QUOTA_ERROR
        if response.status_code == 500:
            return ErrorTypes.SERVICE_ERROR
        return ErrorTypes.GENERAL_ERROR

    def is_polling_in_progress(self, response: requests.Response) -> bool:
        return False


def generic_http_request(
    method: str,
    server_url: str,
    timeout: float = 60,
    verify: bool = True,
    proxy: bool = False,
    client_headers: Dict[str, Any] | None = None,
    headers: Dict[str, Any] | None = None,
    url_suffix: str | None = None,
    data: Any = None,
    ok_codes: Any = None,
    auth: Any = None,
    error_handler: Callable | None = None,
    files: Any = None,
    params: Any = None,
    retries: int = 0,
    resp_type: str = "json",
    status_list_to_retry: Iterable[int] | None = None,
    json_data: Any = None,
    return_empty_response: bool = False,
    backoff_factor: float = 5,
    raise_on_redirect: bool = False,
    raise_on_status: bool = False,
    empty_valid_codes: Iterable[int] | None = None,
    params_parser: Callable | None = None,
    with_metrics: bool = False,
    **kwargs: Any,
) -> Any:
    client = BaseClient(
        base_url=server_url, verify=verify, proxy=proxy, ok_codes=ok_codes, headers=client_headers, auth=auth, timeout=timeout
    )
    return client._http_request(
        method=method,
        url_suffix=url_suffix or "",
        data=data,
        ok_codes=ok_codes,
        error_handler=error_handler,
        headers=headers,
        files=files,
        params=params,
        retries=retries,
        resp_type=resp_type,
        status_list_to_retry=status_list_to_retry,
        json_data=json_data,
        return_empty_response=return_empty_response,
        backoff_factor=backoff_factor,
        raise_on_redirect=raise_on_redirect,
        raise_on_status=raise_on_status,
        empty_valid_codes=empty_valid_codes,
        params_parser=params_parser,
        with_metrics=with_metrics,
        **kwargs,
    )


from DemistoClassApiModule import *  # noqa: E402, F403
