"""tableToMarkdown and the cell helpers: every exact output of the reference."""

import pytest
from CommonServerPython import (
    JsonTransformer,
    flattenCell,
    formatCell,
    pascalToSpace,
    string_to_table_header,
    stringEscapeMD,
    tableToMarkdown,
    tblToMd,
)

ROWS = [
    {"ID": "1", "Name": "host-a", "IsActive": True, "Score": 0, "Tags": ["x", "y"], "Extra": None},
    {"ID": "2", "Name": "b|c", "IsActive": False, "Score": 1.5, "Tags": [], "Extra": {"k": "v", "n": {"z": 1}}},
]


def test_list_of_dicts_default_options() -> None:
    assert tableToMarkdown("Agents", ROWS) == (
        "### Agents\n|Extra|ID|IsActive|Name|Score|Tags|\n|---|---|---|---|---|---|\n"
        "|  | 1 | true | host-a | 0 | x,<br>y |\n"
        '| k: v<br>n: {"z": 1} | 2 | false | b\\|c | 1.5 |  |\n'
    )


def test_tbl_to_md_is_the_same_function() -> None:
    assert tblToMd is tableToMarkdown


def test_single_dict_is_one_row_with_sorted_headers() -> None:
    assert tableToMarkdown("One", {"b": 2, "a": "x"}) == "### One\n|a|b|\n|---|---|\n| x | 2 |\n"


@pytest.mark.parametrize("empty", [[], {}, None])
def test_empty_table(empty: object) -> None:
    assert tableToMarkdown("Empty", empty) == "### Empty\n**No entries.**\n"


def test_explicit_headers_keep_their_order_and_missing_keys_are_empty() -> None:
    assert tableToMarkdown("H", ROWS, headers=["Name", "ID", "Missing"]) == (
        "### H\n|Name|ID|Missing|\n|---|---|---|\n| host-a | 1 |  |\n| b\\|c | 2 |  |\n"
    )


def test_header_transform_pascal_to_space() -> None:
    assert tableToMarkdown("T", ROWS, headers=["ID", "IsActive"], headerTransform=pascalToSpace) == (
        "### T\n|ID|Is Active|\n|---|---|\n| 1 | true |\n| 2 | false |\n"
    )


def test_header_transform_string_to_table_header() -> None:
    assert tableToMarkdown("T", [{"agent_id": 1, "computer_name": "x"}], headerTransform=string_to_table_header) == (
        "### T\n|Agent Id|Computer Name|\n|---|---|\n| 1 | x |\n"
    )


def test_remove_null_drops_columns_empty_in_every_row() -> None:
    table = [{"a": 1, "b": None, "c": ""}, {"a": 2, "b": [], "c": {}}]
    assert tableToMarkdown("R", table, removeNull=True) == "### R\n|a|\n|---|\n| 1 |\n| 2 |\n"


def test_remove_null_keeps_a_column_with_one_value() -> None:
    table = [{"a": 1, "b": None}, {"a": 2, "b": 0}]
    assert tableToMarkdown("R", table, removeNull=True) == "### R\n|a|b|\n|---|---|\n| 1 |  |\n| 2 | 0 |\n"


def test_minimal_escaping_of_cells() -> None:
    table = [{"v": "line1\nline2\r\nline3 | `code` *star* _u_"}]
    assert tableToMarkdown("E", table) == "### E\n|v|\n|---|\n| line1<br>line2<br>line3 \\| \\`code\\` *star* _u_ |\n"


def test_url_keys_become_links() -> None:
    assert tableToMarkdown("U", [{"url": "https://a.com/x", "n": 1}], url_keys=["url"]) == (
        "### U\n|n|url|\n|---|---|\n| 1 | [https://a.com/x](https://a.com/x) |\n"
    )


def test_url_keys_in_nested_structures_and_lists() -> None:
    table = [{"links": ["https://a", "https://b"], "inner": {"url": "https://c"}, "url": ""}]
    assert tableToMarkdown("U", table, url_keys=["url", "links"]) == (
        "### U\n|inner|links|url|\n|---|---|---|\n"
        "| url: [https://c](https://c) | [https://a](https://a),<br>[https://b](https://b) |  |\n"
    )


def test_date_fields_in_local_time(utc_tz: None) -> None:
    table = [{"created": 1700000000000, "bad": "x"}]
    assert tableToMarkdown("D", table, date_fields=["created", "bad"]) == (
        "### D\n|bad|created|\n|---|---|\n| x | 2023-11-14 22:13:20 |\n"
    )


def test_date_fields_do_not_change_the_callers_rows(utc_tz: None) -> None:
    table = [{"created": 1700000000000}]
    tableToMarkdown("D", table, date_fields=["created"])
    assert table == [{"created": 1700000000000}]


def test_sort_headers_false_keeps_insertion_order() -> None:
    unsorted = "### S\n|z|a|m|\n|---|---|---|\n| 1 | 2 | 3 |\n"
    assert tableToMarkdown("S", [{"z": 1, "a": 2, "m": 3}], sort_headers=False) == unsorted
    assert tableToMarkdown("S", [{"z": 1, "a": 2, "m": 3}]) == "### S\n|a|m|z|\n|---|---|---|\n| 2 | 3 | 1 |\n"


def test_no_name_no_title_line() -> None:
    assert tableToMarkdown("", [{"a": 1}]) == "|a|\n|---|\n| 1 |\n"


def test_single_key_dict_with_list_value_is_a_column() -> None:
    assert tableToMarkdown("K", {"ids": ["a", "b"]}) == "### K\n|ids|\n|---|\n| a |\n| b |\n"


def test_plain_values_need_a_header() -> None:
    assert tableToMarkdown("L", ["a", "b"], headers=["Value"]) == "### L\n|Value|\n|---|\n| a |\n| b |\n"
    assert tableToMarkdown("L", ["a"], headers="Value") == "### L\n|Value|\n|---|\n| a |\n"


def test_plain_values_without_headers_raise() -> None:
    with pytest.raises(Exception, match=r"^Missing headers param for tableToMarkdown\. Example: headers=\['Some Header'\]$"):
        tableToMarkdown("L", ["a", "b"])


def test_metadata_line_after_the_title() -> None:
    assert tableToMarkdown("M", [{"a": 1}], metadata="Some meta") == "### M\nSome meta\n|a|\n|---|\n| 1 |\n"


def test_metadata_with_empty_table() -> None:
    assert tableToMarkdown("M", [], metadata="Some meta") == "### M\nSome meta\n**No entries.**\n"


def test_list_of_dicts_in_a_cell_is_python_repr() -> None:
    assert tableToMarkdown("N", [{"a": [{"x": 1}, {"y": 2}]}]) == "### N\n|a|\n|---|\n| {'x': 1},<br>{'y': 2} |\n"


def test_headers_come_from_the_first_row_only() -> None:
    assert tableToMarkdown("K", [{"a": 1}, {"a": 2, "b": 3}]) == "### K\n|a|\n|---|\n| 1 |\n| 2 |\n"


def test_scalar_cells() -> None:
    table = [{"t": True, "f": False, "n": None, "i": 7, "fl": 2.0, "e": ""}]
    assert tableToMarkdown("V", table) == ("### V\n|e|f|fl|i|n|t|\n|---|---|---|---|---|---|\n|  | false | 2.0 | 7 |  | true |\n")


def test_list_cell_with_none() -> None:
    assert tableToMarkdown("V", [{"l": [1, 2, None]}]) == "### V\n|l|\n|---|\n| 1,<br>2,<br>None |\n"


def test_pipe_in_header_is_escaped() -> None:
    assert tableToMarkdown("V", [{"a|b": 1}]) == "### V\n|a\\|b|\n|---|\n| 1 |\n"


def test_dict_cell_with_list_and_multiline_values() -> None:
    assert tableToMarkdown("V", [{"d": {"l": [1, 2], "s": "x\ny"}}]) == "### V\n|d|\n|---|\n| l: 1,<br>2<br>s: x<br>y |\n"


def test_non_ascii_is_kept() -> None:
    assert tableToMarkdown("U", [{"a": "héllo", "d": {"k": "é"}}]) == "### U\n|a|d|\n|---|---|\n| héllo | k: é |\n"


def test_auto_json_transform() -> None:
    table = [{"a": {"x": 1, "y": {"z": 2}}, "b": ["p", "q"]}]
    assert tableToMarkdown("J", table, is_auto_json_transform=True) == (
        "### J\n|a|b|\n|---|---|\n| ***x***: 1<br>**y**:<br>\t***z***: 2 | ***values***: p, q |\n"
    )


def test_auto_json_transform_list_of_numbers_crashes() -> None:
    with pytest.raises(TypeError):
        tableToMarkdown("J", [{"b": [1, 2]}], is_auto_json_transform=True)


def test_json_transform_mapping_with_keys_and_func() -> None:
    table = [{"a": {"x": 1, "y": 2}, "b": {"k": "v"}}]
    mapping = {"a": JsonTransformer(keys=["y"]), "b": JsonTransformer(func=lambda value: "custom")}
    assert tableToMarkdown("J", table, json_transform_mapping=mapping) == "### J\n|a|b|\n|---|---|\n| ***y***: 2 | custom |\n"


def test_bytes_cell_crashes() -> None:
    with pytest.raises(TypeError):
        tableToMarkdown("B", [{"b": b"raw"}])


def test_all_headers_removed_gives_no_entries() -> None:
    assert tableToMarkdown("R", [{"a": None}], removeNull=True) == "### R\n**No entries.**\n"


def test_format_cell() -> None:
    assert formatCell({"k": "v", "n": [1, 2]}) == "k: v\nn: 1,\n2"
    assert formatCell([1, 2]) == "1,\n2"
    assert formatCell("x") == "x"
    assert formatCell(3) == "3"


def test_flatten_cell() -> None:
    assert flattenCell("str") == "str"
    assert flattenCell([1, "a", {"k": 1}]) == "1,\na,\n{'k': 1}"
    assert flattenCell({"k": "v"}) == '{\n    "k": "v"\n}'
    assert flattenCell({"k": "v"}, is_pretty=False) == '{"k": "v"}'
    assert flattenCell(5) == "5"
    assert flattenCell(None) == "null"
    assert flattenCell(True) == "true"


def test_string_escape_md() -> None:
    assert stringEscapeMD("a|b`c*d_e") == "a\\|b\\`c\\*d\\_e"
    assert stringEscapeMD("a|b`c*d_e", minimal_escaping=True) == "a\\|b\\`c*d_e"
    assert stringEscapeMD("l1\nl2", True, True) == "l1<br>l2"
    assert stringEscapeMD("\\{}[]()#+-!") == "\\\\\\{\\}\\[\\]\\(\\)\\#\\+\\-\\!"
