"""The unified social credit code (统一社会信用代码, GB 32100-2015): one check for the whole
service, through python-stdnum's maintained implementation."""
from stdnum.cn import uscc as uscc_rule
from stdnum.exceptions import InvalidChecksum, InvalidLength, ValidationError


def check_uscc(value: str) -> tuple[str | None, str | None]:
    """(normalised code, None) or (None, problem code: uscc_length, uscc_checksum, uscc_format)."""
    try:
        return uscc_rule.validate(value or ""), None
    except InvalidLength:
        return None, "uscc_length"
    except InvalidChecksum:
        return None, "uscc_checksum"
    except ValidationError:
        return None, "uscc_format"


def uscc_valid(code) -> bool:
    """Whether `code` is a valid code written exactly in its normal form (18 characters, upper
    case, no spaces), as data files must hold it."""
    return isinstance(code, str) and check_uscc(code)[0] == code
