"""What LINE's Messaging API reference says a Flex Message (and the other messages the bot sends) may be.

`check_flex(container)` and `check_message(message)` list the problems, each as "property: what is
wrong" (empty = LINE would accept it); the fake LINE server answers 400 with the same problems.
Sources: developers.line.biz/en/reference/messaging-api/ — #flex-message (containers, components),
#action-objects (with its "Specifications of the label" table), #quick-reply, #text-message, and
"Character counting in a text" (lengths are UTF-16 code units, so an emoji outside the BMP counts 2).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

# The reference: "The maximum size of JSON data that defines a bubble is 30 KB" (10 KB until the
# September 2020 update) and "... a carousel is 50 KB". Measured as compact UTF-8 JSON, where each
# Chinese character is 3 bytes: a bag's worth of drug names fills a bubble faster than English.
BUBBLE_MAX_BYTES = 30 * 1024
CAROUSEL_MAX_BYTES = 50 * 1024
CAROUSEL_MAX_BUBBLES = 12
QUICK_REPLY_MAX_ITEMS = 13
TEXT_MAX = 5000
ALT_TEXT_MAX = 1500
URL_MAX = 2000

BUBBLE_SIZES = ("nano", "micro", "deca", "hecto", "kilo", "mega", "giga")
VIDEO_BUBBLE_SIZES = ("kilo", "mega", "giga")
LAYOUTS = ("horizontal", "vertical", "baseline")
# Which components a box may hold depends on its layout; a video may only be the hero itself.
BOX_CHILDREN = ("box", "button", "image", "text", "separator", "filler")
BASELINE_CHILDREN = ("icon", "text", "filler")
HEX = re.compile(r"#[0-9a-fA-F]{6}([0-9a-fA-F]{2})?")
ASPECT = re.compile(r"(\d+(?:\.\d+)?):(\d+(?:\.\d+)?)")
URI_SCHEMES = ("http", "https", "line", "tel")
PICKER_FORMATS = {
    "date": re.compile(r"\d{4}-\d{2}-\d{2}"),
    "time": re.compile(r"\d{2}:\d{2}"),
    "datetime": re.compile(r"\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}"),
}
ENUMS = {
    "weight": ("regular", "bold"),
    "style": ("normal", "italic"),
    "decoration": ("none", "underline", "line-through"),
}

Problem = tuple[str, str]  # (property path as LINE writes it, what is wrong)


@dataclass(frozen=True)
class Place:
    """Where an action sits decides which actions LINE takes there and how long the label may be."""

    name: str
    label_required: bool
    label_max: int
    actions: tuple[str, ...]


FLEX_ACTIONS = ("postback", "message", "uri", "datetimepicker", "clipboard")
FLEX_BUTTON = Place("a Flex button", True, 40, FLEX_ACTIONS)
FLEX_OTHER = Place("a Flex component", False, 40, FLEX_ACTIONS)
QUICK_REPLY = Place("a quick reply button", True, 20, (*FLEX_ACTIONS, "camera", "cameraRoll", "location"))
RICH_MENU_ONLY = ("richmenuswitch",)


def check_flex(container: dict[str, Any]) -> list[str]:
    return [_say(p) for p in flex_problems(container)]


def check_message(message: dict[str, Any]) -> list[str]:
    return [_say(p) for p in message_problems(message)]


def json_size(value: Any) -> int:
    return len(json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode())


def text_length(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def _say(problem: Problem) -> str:
    path, what = problem
    return f"{path}: {what}" if path else what


def _at(path: str, key: str | int) -> str:
    if isinstance(key, int):
        return f"{path}[{key}]"
    return f"{path}.{key}" if path else key


# --- containers ------------------------------------------------------------------------------


def flex_problems(container: Any, path: str = "") -> list[Problem]:
    if not isinstance(container, dict):
        return [(path, "must be a bubble or carousel object")]
    match container.get("type"):
        case "bubble":
            return list(_bubble(container, path, in_carousel=False))
        case "carousel":
            return list(_carousel(container, path))
        case other:
            return [(_at(path, "type"), f"must be bubble or carousel, not {other!r}")]


def _carousel(carousel: dict[str, Any], path: str) -> Iterator[Problem]:
    bubbles = carousel.get("contents")
    if not isinstance(bubbles, list) or not 1 <= len(bubbles) <= CAROUSEL_MAX_BUBBLES:
        yield _at(path, "contents"), f"must hold 1 to {CAROUSEL_MAX_BUBBLES} bubbles"
        return
    for i, bubble in enumerate(bubbles):
        if not isinstance(bubble, dict) or bubble.get("type") != "bubble":
            yield _at(_at(path, "contents"), i), "a carousel holds only bubbles"
        else:
            yield from _bubble(bubble, _at(_at(path, "contents"), i), in_carousel=True)
    widths = {b.get("size", "mega") for b in bubbles if isinstance(b, dict)}
    if len(widths) > 1:
        yield _at(path, "contents"), f"bubbles of one carousel must share one size, not {sorted(widths)}"
    if (size := json_size(carousel)) > CAROUSEL_MAX_BYTES:
        yield path, f"is {size} bytes of JSON; a carousel may be at most {CAROUSEL_MAX_BYTES} (50 KB)"


def _bubble(bubble: dict[str, Any], path: str, in_carousel: bool) -> Iterator[Problem]:
    if bubble.get("size", "mega") not in BUBBLE_SIZES:
        yield _at(path, "size"), f"must be one of {', '.join(BUBBLE_SIZES)}"
    if bubble.get("direction", "ltr") not in ("ltr", "rtl"):
        yield _at(path, "direction"), "must be ltr or rtl"
    for block in ("header", "body", "footer"):
        if block in bubble:
            yield from _block(bubble[block], _at(path, block), ("box",))
    if "hero" in bubble:
        yield from _block(bubble["hero"], _at(path, "hero"), ("box", "image", "video"))
        if isinstance(bubble["hero"], dict) and bubble["hero"].get("type") == "video":
            yield from _video_place(bubble, path, in_carousel)
    yield from _styles(bubble, path)
    yield from _optional_action(bubble, path, FLEX_OTHER)
    if (size := json_size(bubble)) > BUBBLE_MAX_BYTES:
        yield path, f"is {size} bytes of JSON; a bubble may be at most {BUBBLE_MAX_BYTES} (30 KB)"


def _block(block: Any, path: str, kinds: tuple[str, ...]) -> Iterator[Problem]:
    if not isinstance(block, dict) or block.get("type") not in kinds:
        yield path, f"must be a {' or '.join(kinds)} component"
        return
    yield from COMPONENTS[block["type"]](block, path)


def _video_place(bubble: dict[str, Any], path: str, in_carousel: bool) -> Iterator[Problem]:
    if in_carousel:
        yield _at(path, "hero"), "a video can't be in a bubble inside a carousel"
    if bubble.get("size", "mega") not in VIDEO_BUBBLE_SIZES:
        yield _at(path, "size"), f"a bubble with a video must be {', '.join(VIDEO_BUBBLE_SIZES)}"


def _styles(bubble: dict[str, Any], path: str) -> Iterator[Problem]:
    styles = bubble.get("styles")
    if styles is None:
        return
    if not isinstance(styles, dict):
        yield _at(path, "styles"), "must be an object"
        return
    for block, style in styles.items():
        where = _at(_at(path, "styles"), block)
        if block not in ("header", "hero", "body", "footer") or not isinstance(style, dict):
            yield where, "must be a block style of header, hero, body or footer"
            continue
        yield from _colors(style, where, ("backgroundColor", "separatorColor"))
    blocks = [b for b in ("header", "hero", "body", "footer") if b in bubble]
    first = styles.get(blocks[0]) if blocks else None
    if isinstance(first, dict) and first.get("separator"):
        yield _at(_at(_at(path, "styles"), blocks[0]), "separator"), "can't be above the first block"


# --- components --------------------------------------------------------------------------------


def _component(component: Any, path: str, layout: str) -> Iterator[Problem]:
    allowed = BASELINE_CHILDREN if layout == "baseline" else BOX_CHILDREN
    kind = component.get("type") if isinstance(component, dict) else None
    if not isinstance(component, dict) or kind not in allowed:
        yield _at(path, "type"), f"a {layout} box holds {', '.join(allowed)}, not {kind!r}"
        return
    yield from COMPONENTS[str(kind)](component, path)


def _box(box: dict[str, Any], path: str) -> Iterator[Problem]:
    layout = box.get("layout")
    if layout not in LAYOUTS:
        yield _at(path, "layout"), f"must be one of {', '.join(LAYOUTS)}"
    contents = box.get("contents")
    if not isinstance(contents, list):
        yield _at(path, "contents"), "must be an array of components (it may be empty)"
    else:
        for i, child in enumerate(contents):
            yield from _component(child, _at(_at(path, "contents"), i), str(layout))
    yield from _colors(box, path, ("backgroundColor", "borderColor"))
    if isinstance(background := box.get("background"), dict):
        yield from _colors(background, _at(path, "background"), ("startColor", "endColor", "centerColor"))
    yield from _optional_action(box, path, FLEX_OTHER)


def _text(text: dict[str, Any], path: str) -> Iterator[Problem]:
    # The reference: set `text` or `contents` (spans); with `contents`, `text` is ignored.
    if "contents" in text:
        spans = text["contents"]
        if not isinstance(spans, list) or not spans:
            yield _at(path, "contents"), "must be a non-empty array of spans"
        else:
            for i, span in enumerate(spans):
                yield from _span(span, _at(_at(path, "contents"), i))
    elif not isinstance(text.get("text"), str) or not text["text"]:
        yield _at(path, "text"), "must be a non-empty string (or give `contents` spans)"
    if "maxLines" in text and (not isinstance(text["maxLines"], int) or text["maxLines"] < 0):
        yield _at(path, "maxLines"), "must be an integer of 0 or more"
    yield from _enums(text, path)
    yield from _colors(text, path, ("color",))
    yield from _optional_action(text, path, FLEX_OTHER)


def _span(span: Any, path: str) -> Iterator[Problem]:
    if not isinstance(span, dict) or span.get("type") != "span":
        yield path, "a text's contents hold only span components"
        return
    if not isinstance(span.get("text", ""), str):
        yield _at(path, "text"), "must be a string"
    yield from _enums(span, path)
    yield from _colors(span, path, ("color",))


def _button(button: dict[str, Any], path: str) -> Iterator[Problem]:
    if "action" not in button:
        yield _at(path, "action"), "a button needs an action"
    else:
        yield from action_problems(button["action"], _at(path, "action"), FLEX_BUTTON)
    if button.get("style", "link") not in ("primary", "secondary", "link"):
        yield _at(path, "style"), "must be primary, secondary or link"
    if button.get("height", "md") not in ("sm", "md"):
        yield _at(path, "height"), "must be sm or md"
    yield from _colors(button, path, ("color",))


def _image(image: dict[str, Any], path: str) -> Iterator[Problem]:
    yield from _https(image, "url", path)
    yield from _aspect(image, path)
    yield from _colors(image, path, ("backgroundColor",))
    yield from _optional_action(image, path, FLEX_OTHER)


def _icon(icon: dict[str, Any], path: str) -> Iterator[Problem]:
    yield from _https(icon, "url", path)
    yield from _aspect(icon, path)


def _video(video: dict[str, Any], path: str) -> Iterator[Problem]:
    yield from _https(video, "url", path)
    yield from _https(video, "previewUrl", path)
    yield from _block(video.get("altContent"), _at(path, "altContent"), ("box", "image"))
    yield from _aspect(video, path)
    action = video.get("action")
    if action is not None and (not isinstance(action, dict) or action.get("type") != "uri"):
        yield _at(path, "action"), "a video takes only a uri action"


def _separator(separator: dict[str, Any], path: str) -> Iterator[Problem]:
    yield from _colors(separator, path, ("color",))


def _filler(filler: dict[str, Any], path: str) -> Iterator[Problem]:
    return iter(())


COMPONENTS: dict[str, Callable[[dict[str, Any], str], Iterator[Problem]]] = {
    "box": _box,
    "text": _text,
    "button": _button,
    "image": _image,
    "icon": _icon,
    "video": _video,
    "separator": _separator,
    "filler": _filler,
}


# --- properties shared by components ---------------------------------------------------------


def _colors(obj: dict[str, Any], path: str, keys: tuple[str, ...]) -> Iterator[Problem]:
    for key in keys:
        if key in obj and not (isinstance(obj[key], str) and HEX.fullmatch(obj[key])):
            yield _at(path, key), f"must be a color as #RRGGBB or #RRGGBBAA, not {obj[key]!r}"


def _enums(obj: dict[str, Any], path: str) -> Iterator[Problem]:
    for key, values in ENUMS.items():
        if key in obj and obj[key] not in values:
            yield _at(path, key), f"must be one of {', '.join(values)}"


def _aspect(obj: dict[str, Any], path: str) -> Iterator[Problem]:
    if "aspectRatio" not in obj:
        return
    found = ASPECT.fullmatch(str(obj["aspectRatio"]))
    width, height = (float(found[1]), float(found[2])) if found else (0.0, 0.0)
    if not (1 <= width <= 100000 and 1 <= height <= 100000 and height <= 3 * width):
        yield _at(path, "aspectRatio"), "must be {width}:{height}, each 1 to 100000, height at most 3 × width"


def _https(obj: dict[str, Any], key: str, path: str) -> Iterator[Problem]:
    url = obj.get(key)
    if not isinstance(url, str) or not url.startswith("https://"):
        yield _at(path, key), "must be an https URL"
    elif text_length(url) > URL_MAX:
        yield _at(path, key), f"must be at most {URL_MAX} characters"


def limited(obj: dict[str, Any], key: str, path: str, most: int, required: bool) -> Iterator[Problem]:
    """A string property of at most `most` characters; a required one must not be empty."""
    value = obj.get(key)
    if value is None:
        if required:
            yield _at(path, key), "must be specified"
    elif not isinstance(value, str) or (required and not value):
        yield _at(path, key), "must be a non-empty string" if required else "must be a string"
    elif text_length(value) > most:
        yield _at(path, key), f"must be at most {most} characters, not {text_length(value)}"


def _optional_action(obj: dict[str, Any], path: str, place: Place) -> Iterator[Problem]:
    if "action" in obj:
        yield from action_problems(obj["action"], _at(path, "action"), place)


# --- actions -------------------------------------------------------------------------------------


def action_problems(action: Any, path: str, place: Place) -> Iterator[Problem]:
    kind = action.get("type") if isinstance(action, dict) else None
    if not isinstance(action, dict) or kind not in ACTIONS:
        yield _at(path, "type"), f"must be one of {', '.join(ACTIONS)}, not {kind!r}"
        return
    if kind not in place.actions:
        only = "rich menus" if kind in RICH_MENU_ONLY else "quick reply buttons"
        yield _at(path, "type"), f"a {kind} action works only in {only}, not in {place.name}"
        return
    yield from limited(action, "label", path, place.label_max, place.label_required)
    yield from ACTIONS[str(kind)](action, path)


def _postback(action: dict[str, Any], path: str) -> Iterator[Problem]:
    yield from limited(action, "data", path, 300, required=True)
    for key in ("displayText", "text", "fillInText"):
        yield from limited(action, key, path, 300, required=False)
    if "displayText" in action and "text" in action:
        yield _at(path, "text"), "displayText and text can't both be set"
    if action.get("inputOption", "closeRichMenu") not in INPUT_OPTIONS:
        yield _at(path, "inputOption"), f"must be one of {', '.join(INPUT_OPTIONS)}"


def _message(action: dict[str, Any], path: str) -> Iterator[Problem]:
    yield from limited(action, "text", path, 300, required=True)


def _uri(action: dict[str, Any], path: str) -> Iterator[Problem]:
    yield from _scheme(action.get("uri"), _at(path, "uri"))
    if isinstance(alt := action.get("altUri"), dict) and "desktop" in alt:
        yield from _scheme(alt["desktop"], _at(_at(path, "altUri"), "desktop"))


def _scheme(uri: Any, path: str) -> Iterator[Problem]:
    if not isinstance(uri, str) or not uri:
        yield path, "must be specified"
    elif uri.split(":", 1)[0].lower() not in URI_SCHEMES or ":" not in uri:
        yield path, f"must use one of the schemes {', '.join(URI_SCHEMES)}"
    elif text_length(uri) > 1000:
        yield path, "must be at most 1000 characters"


def _picker(action: dict[str, Any], path: str) -> Iterator[Problem]:
    yield from limited(action, "data", path, 300, required=True)
    form = PICKER_FORMATS.get(str(action.get("mode")))
    if form is None:
        yield _at(path, "mode"), "must be date, time or datetime"
        return
    for key in ("initial", "max", "min"):
        if key in action and not (isinstance(action[key], str) and form.fullmatch(action[key])):
            yield _at(path, key), f"must be written as the {action['mode']} mode's format"


def _clipboard(action: dict[str, Any], path: str) -> Iterator[Problem]:
    yield from limited(action, "clipboardText", path, 1000, required=True)


def _switch(action: dict[str, Any], path: str) -> Iterator[Problem]:
    yield from limited(action, "richMenuAliasId", path, 32, required=True)
    yield from limited(action, "data", path, 300, required=True)


def _nothing_more(action: dict[str, Any], path: str) -> Iterator[Problem]:
    return iter(())


INPUT_OPTIONS = ("closeRichMenu", "openRichMenu", "openKeyboard", "openVoice")
ACTIONS: dict[str, Callable[[dict[str, Any], str], Iterator[Problem]]] = {
    "postback": _postback,
    "message": _message,
    "uri": _uri,
    "datetimepicker": _picker,
    "clipboard": _clipboard,
    "camera": _nothing_more,
    "cameraRoll": _nothing_more,
    "location": _nothing_more,
    "richmenuswitch": _switch,
}


# --- messages ------------------------------------------------------------------------------------


def message_problems(message: Any, path: str = "") -> list[Problem]:
    kind = message.get("type") if isinstance(message, dict) else None
    if not isinstance(message, dict) or kind not in MESSAGES:
        # LINE has more kinds (video, audio, location, imagemap, template): this checker knows these.
        return [(_at(path, "type"), f"must be one of {', '.join(MESSAGES)} here, not {kind!r}")]
    found = list(MESSAGES[str(kind)](message, path))
    if "quickReply" in message:
        found += _quick_reply(message["quickReply"], _at(path, "quickReply"))
    return found


def _text_message(message: dict[str, Any], path: str) -> Iterator[Problem]:
    yield from limited(message, "text", path, TEXT_MAX, required=True)


def _flex_message(message: dict[str, Any], path: str) -> Iterator[Problem]:
    yield from limited(message, "altText", path, ALT_TEXT_MAX, required=True)
    if "contents" not in message:
        yield _at(path, "contents"), "must be specified"
    else:
        yield from flex_problems(message["contents"], _at(path, "contents"))


def _image_message(message: dict[str, Any], path: str) -> Iterator[Problem]:
    yield from _https(message, "originalContentUrl", path)
    yield from _https(message, "previewImageUrl", path)


def _sticker_message(message: dict[str, Any], path: str) -> Iterator[Problem]:
    for key in ("packageId", "stickerId"):
        yield from limited(message, key, path, 100, required=True)


MESSAGES: dict[str, Callable[[dict[str, Any], str], Iterator[Problem]]] = {
    "text": _text_message,
    "flex": _flex_message,
    "image": _image_message,
    "sticker": _sticker_message,
}


def _quick_reply(quick: Any, path: str) -> list[Problem]:
    items = quick.get("items") if isinstance(quick, dict) else None
    if not isinstance(items, list) or not 1 <= len(items) <= QUICK_REPLY_MAX_ITEMS:
        return [(_at(path, "items"), f"must hold 1 to {QUICK_REPLY_MAX_ITEMS} quick reply buttons")]
    found: list[Problem] = []
    for i, item in enumerate(items):
        where = _at(_at(path, "items"), i)
        if not isinstance(item, dict) or item.get("type") != "action":
            found.append((_at(where, "type"), "must be action"))
            continue
        if "imageUrl" in item:
            found += _https(item, "imageUrl", where)
        found += action_problems(item.get("action"), _at(where, "action"), QUICK_REPLY)
    return found
