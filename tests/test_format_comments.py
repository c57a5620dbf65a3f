"""Where the formatter puts each comment back, rule by rule."""

from __future__ import annotations

import pytest

from sladsl.syntax.format import format_text

CASES = [
    pytest.param(
        "# head\npolicy p {}\n",
        "# head\npolicy p {}\n",
        id="own-line-before-declaration",
    ),
    pytest.param(
        "# head\n\npolicy p {}\n",
        "# head\n\npolicy p {}\n",
        id="blank-after-header-comment-kept",
    ),
    pytest.param(
        "policy p {}\n# before q\npolicy q {}\n",
        "policy p {}\n\n# before q\npolicy q {}\n",
        id="declarations-always-separated",
    ),
    pytest.param(
        "policy p { # brace\n first_reply_time: 1h }",
        "policy p {  # brace\n    first_reply_time: 1h\n}\n",
        id="trailing-on-header",
    ),
    pytest.param(
        "policy p  # name\n{ first_reply_time: 1h }",
        "policy p {  # name\n    first_reply_time: 1h\n}\n",
        id="brace-on-next-line",
    ),
    pytest.param(
        "policy p {\n        # odd indent\nfirst_reply_time: 1h\n}",
        "policy p {\n    # odd indent\n    first_reply_time: 1h\n}\n",
        id="own-line-reindented",
    ),
    pytest.param(
        "policy p {\n first_reply_time: 1h     # soon\n}",
        "policy p {\n    first_reply_time: 1h  # soon\n}\n",
        id="trailing-two-spaces",
    ),
    pytest.param(
        "policy p {\n when tags has a or # first\n  # second\n  tags has b # third\n}",
        "policy p {\n    # first\n    # second\n    when tags has a or tags has b  # third\n}\n",
        id="inside-multiline-line",
    ),
    pytest.param(
        "policy p {\n first_reply_time: 1h\n # last\n}",
        "policy p {\n    first_reply_time: 1h\n    # last\n}\n",
        id="end-of-block",
    ),
    pytest.param(
        "policy p {\n # only\n}",
        "policy p {\n    # only\n}\n",
        id="empty-block-with-comment",
    ),
    pytest.param(
        "policy p { first_reply_time: 1h } # after brace",
        "policy p {\n    first_reply_time: 1h\n}  # after brace\n",
        id="trailing-on-close",
    ),
    pytest.param(
        "policy p {} # empty",
        "policy p {}  # empty\n",
        id="trailing-on-empty-block",
    ),
    pytest.param(
        "priorities a, # first\n b\n",
        "# first\npriorities a, b\n",
        id="inside-priorities",
    ),
    pytest.param(
        "policy p {}\n# end\n\n\n\n# very end   \n",
        "policy p {}\n# end\n\n# very end\n",
        id="end-of-file",
    ),
    pytest.param(
        'calendar c {\n\n\n timezone "UTC"\n\n\n hours mon 09:00-10:00\n\n}',
        'calendar c {\n    timezone "UTC"\n\n    hours mon 09:00-10:00\n}\n',
        id="blank-lines-inside-blocks",
    ),
    pytest.param(
        "policy p {\r\n  first_reply_time: 1h # crlf\r\n}\r\n",
        "policy p {\n    first_reply_time: 1h  # crlf\n}\n",
        id="crlf",
    ),
]


@pytest.mark.parametrize(("source", "expected"), CASES)
def test_comment_placement(source: str, expected: str) -> None:
    assert format_text(source) == expected
    assert format_text(expected) == expected
