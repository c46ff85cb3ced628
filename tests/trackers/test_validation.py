"""``trackers/validation.py`` rule by rule: every boundary on both sides, every field's own
error naming that field, every normalisation. Pure functions, no database: tables of cases
written so that a changed bound, a swapped field name or a dropped rule fails a case."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace
from typing import Any

import pytest

from shiptrack.couriers import hints
from shiptrack.errors import ApiError
from shiptrack.trackers import validation as v

TODAY = dt.date(2026, 6, 15)
MAX_AGE = 100


def parse(body: Any, **kwargs: Any) -> v.TrackerInput:
    return v.parse_tracker_input(body, max_age_days=MAX_AGE, today=TODAY, **kwargs)


def refusal(body: Any) -> ApiError:
    with pytest.raises(ApiError) as caught:
        parse(body)
    assert caught.value.status == 400
    return caught.value


def messages(error: ApiError) -> list[str]:
    return [item.message for item in error.items]


# --- tracking numbers --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "stored"),
    [
        ("RA123456785GB", "RA123456785GB"),
        ("ra123456785gb", "RA123456785GB"),
        ("  RA123456785GB \t", "RA123456785GB"),
        ("A1B2X", "A1B2X"),  # 5 characters: the shortest
        ("A1" + "7" * 47 + "Z", "A1" + "7" * 47 + "Z"),  # 50: the longest
        ("AB-12_34/56.7", "AB-12_34/56.7"),  # every allowed punctuation
    ],
)
def test_valid_tracking_numbers(raw, stored):
    assert parse({"trackingNumber": raw}).tracking_number == stored


@pytest.mark.parametrize(
    "raw",
    [
        "A1B2",  # 4 characters
        "A1" + "7" * 48 + "Z",  # 51
        "AB 1234",
        "AB#1234",
        "AB12é34",
        "",
        "   ",
        "AAAAAAA",
        "1234567",
        "7654321",
        "ABCDEFG",
        "121212",
        "ABABA",
    ],
)
def test_invalid_tracking_numbers_get_the_ship24_message(raw):
    error = refusal({"trackingNumber": raw})
    assert error.code == "validation_error"
    assert messages(error) == [v.TRACKING_NUMBER_MESSAGE]


@pytest.mark.parametrize(
    ("raw", "named"),
    [(12345678, "a number"), (1.5, "a number"), (True, "a boolean"), ([], "an array")],
)
def test_a_tracking_number_of_another_type_is_named(raw, named):
    (message,) = messages(refusal({"trackingNumber": raw}))
    assert message.startswith(f"trackingNumber must be a string, got {named}.")


@pytest.mark.parametrize(
    ("number", "dummy"),
    [
        ("AAAAA", True),
        ("00000000", True),
        ("12345", True),
        ("98765", True),
        ("ABCDE", True),
        ("ZYXWV", True),
        ("ABABAB", True),
        ("12121", True),
        ("12346", False),  # not one step throughout
        ("13579", False),  # step 2
        ("ACEGI", False),
        ("1234A", False),  # a run, but digits and a letter
        ("ABCD1", False),
        ("12123", False),  # a pair that breaks
        ("A1B2C", False),
        ("RA123456785GB", False),
    ],
)
def test_dummy_patterns(number, dummy):
    assert v.is_dummy(number) is dummy


def test_type_names():
    assert [v._type_name(x) for x in (None, True, 1, 1.0, "s", [], {}, b"b")] == [
        "null",
        "a boolean",
        "a number",
        "a number",
        "a string",
        "an array",
        "an object",
        "bytes",
    ]


def test_missing_or_null_tracking_number_is_a_missing_mandatory_field():
    for body in ({}, {"trackingNumber": None}, {"title": "x"}):
        error = refusal(body)
        assert error.code == "missing_mandatory_field"
        assert "trackingNumber is required" in messages(error)[0]


@pytest.mark.parametrize("body", [[], "RA123456785GB", 5, None])
def test_a_body_that_is_not_an_object(body):
    error = refusal(body)
    assert error.code == "validation_error"
    assert "must be a JSON object" in messages(error)[0]


# --- free-text fields --------------------------------------------------------------------------

TEXT_FIELDS = [
    ("shipmentReference", "shipment_reference", 100),
    ("clientTrackerId", "client_tracker_id", 100),
    ("courierName", "courier_name", 200),
    ("trackingUrl", "tracking_url", 2048),
    ("orderNumber", "order_number", 100),
    ("title", "title", 200),
]


@pytest.mark.parametrize(("field", "attribute", "limit"), TEXT_FIELDS)
def test_text_fields_up_to_their_limit(field, attribute, limit):
    longest = "x" * limit
    tracker = parse({"trackingNumber": "RA123456785GB", field: f"  {longest}  "})
    assert getattr(tracker, attribute) == longest
    for empty in (None, "", "   "):
        assert getattr(parse({"trackingNumber": "RA123456785GB", field: empty}), attribute) is None


@pytest.mark.parametrize(("field", "attribute", "limit"), TEXT_FIELDS)
def test_text_fields_past_their_limit_name_the_field(field, attribute, limit):
    (message,) = messages(refusal({"trackingNumber": "RA123456785GB", field: "x" * (limit + 1)}))
    assert message == (
        f"{field} is {limit + 1} characters long; the maximum is {limit}. Shorten it."
    )


@pytest.mark.parametrize(("field", "attribute", "limit"), TEXT_FIELDS)
def test_text_fields_of_another_type_name_the_field(field, attribute, limit):
    (message,) = messages(refusal({"trackingNumber": "RA123456785GB", field: 7}))
    assert message == f"{field} must be a string of at most {limit} characters, got a number."


def test_text_is_kept_as_sent_apart_from_outer_spaces():
    tracker = parse({"trackingNumber": "RA123456785GB", "title": " Mixed Case  inside "})
    assert tracker.title == "Mixed Case  inside"


# --- countries and post codes ------------------------------------------------------------------


@pytest.mark.parametrize("field", ["originCountryCode", "destinationCountryCode"])
@pytest.mark.parametrize(
    ("raw", "code"), [("FR", "FR"), ("fr", "FR"), ("FRA", "FR"), ("usa", "US"), ("", None)]
)
def test_countries_alpha2_or_alpha3(field, raw, code):
    attribute = {"originCountryCode": "origin_country_code"}.get(field, "destination_country_code")
    assert getattr(parse({"trackingNumber": "RA123456785GB", field: raw}), attribute) == code


@pytest.mark.parametrize("field", ["originCountryCode", "destinationCountryCode"])
@pytest.mark.parametrize(
    ("raw", "says"),
    [
        ("F", "contains only 2 or 3 characters"),
        ("FRAN", "contains only 2 or 3 characters"),
        (33, "contains only 2 or 3 characters"),
        ("QQ", "is a valid country code"),
        ("QQQ", "is a valid country code"),
    ],
)
def test_bad_countries_name_the_field(field, raw, says):
    (message,) = messages(refusal({"trackingNumber": "RA123456785GB", field: raw}))
    assert f"{field} {says}" in message


@pytest.mark.parametrize(
    ("raw", "stored"),
    [
        ("75001", "75001"),
        ("sw1a 1aa", "SW1A 1AA"),
        (" 10115 ", "10115"),
        ("A", "A"),
        ("9" * 32, "9" * 32),
        ("AB-1_2/3.4", "AB-1_2/3.4"),
        ("", None),
        (None, None),
    ],
)
def test_post_codes(raw, stored):
    body = {"trackingNumber": "RA123456785GB", "destinationPostCode": raw}
    assert parse(body).destination_post_code == stored


@pytest.mark.parametrize("raw", ["9" * 33, "#1", "75001!", 75001, "   "])
def test_bad_post_codes_name_the_field(raw):
    body = {"trackingNumber": "RA123456785GB", "destinationPostCode": raw}
    (message,) = messages(refusal(body))
    assert message.startswith("destinationPostCode must be 1 to 32 characters")


# --- shipping date -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "date"),
    [
        ("2026-06-01", dt.date(2026, 6, 1)),
        ("2026-06-01T11:09:00", dt.date(2026, 6, 1)),
        ("2026-06-01T11:09:00.000Z", dt.date(2026, 6, 1)),
        ("2026-06-01T23:09:00-02:00", dt.date(2026, 6, 1)),
        ((TODAY + dt.timedelta(days=366)).isoformat(), TODAY + dt.timedelta(days=366)),
        ((TODAY - dt.timedelta(days=MAX_AGE)).isoformat(), TODAY - dt.timedelta(days=MAX_AGE)),
        ("", None),
        (None, None),
    ],
)
def test_shipping_dates(raw, date):
    assert parse({"trackingNumber": "RA123456785GB", "shippingDate": raw}).shipping_date == date


@pytest.mark.parametrize("raw", ["2026-13-01", "01/06/2026", "yesterday", 20260601, "2026-6-1"])
def test_bad_shipping_dates_name_the_field(raw):
    (message,) = messages(refusal({"trackingNumber": "RA123456785GB", "shippingDate": raw}))
    assert message.startswith("shippingDate must be an ISO 8601 date")


def test_a_shipping_date_more_than_a_year_ahead_is_refused():
    late = (TODAY + dt.timedelta(days=367)).isoformat()
    (message,) = messages(refusal({"trackingNumber": "RA123456785GB", "shippingDate": late}))
    assert message.startswith(f"shippingDate {late} is more than a year in the future")


def test_a_shipping_date_past_the_maximum_age_is_outdated():
    old = (TODAY - dt.timedelta(days=MAX_AGE + 1)).isoformat()
    error = refusal({"trackingNumber": "RA123456785GB", "shippingDate": old})
    assert error.code == "shipping_date_outdated"
    assert f"more than {MAX_AGE} days old" in messages(error)[0]
    # Other problems come first: outdated is reported only for an otherwise valid request.
    other = refusal({"trackingNumber": "RA123456785GB", "shippingDate": old, "title": 1})
    assert other.code == "validation_error"


def test_shipping_date_helper_reports_outdated_without_an_error():
    errors: list[str] = []
    old = TODAY - dt.timedelta(days=MAX_AGE + 1)
    assert v.shipping_date(
        {"shippingDate": old.isoformat()}, errors, max_age_days=MAX_AGE, today=TODAY
    ) == (old, True)
    edge = TODAY - dt.timedelta(days=MAX_AGE)
    assert v.shipping_date(
        {"shippingDate": edge.isoformat()}, errors, max_age_days=MAX_AGE, today=TODAY
    ) == (edge, False)
    assert errors == []


# --- courier codes -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "codes"),
    [
        (None, ()),
        ("ups", ("ups",)),
        (" UPS ", ("ups",)),
        (["us-post", "ups"], ("us-post", "ups")),
        (["ups", "UPS", "fedex"], ("ups", "fedex")),
        (["ups", "fedex", "dhl"], ("ups", "fedex", "dhl")),
        ([], ()),
    ],
)
def test_courier_codes(raw, codes):
    assert parse({"trackingNumber": "RA123456785GB", "courierCode": raw}).courier_codes == codes


def test_at_most_three_courier_codes_per_request():
    four = ["ups", "fedex", "dhl", "us-post"]
    (message,) = messages(refusal({"trackingNumber": "RA123456785GB", "courierCode": four}))
    assert message.startswith(f"courierCode holds 4 codes; send at most {3} per request")
    assert hints.MAX_COURIER_CODES_PER_REQUEST == 3


@pytest.mark.parametrize("raw", [5, {"code": "ups"}, ["ups", 5], [None]])
def test_courier_codes_of_another_type(raw):
    (message,) = messages(refusal({"trackingNumber": "RA123456785GB", "courierCode": raw}))
    assert message.startswith("courierCode must be a courier code string or an array of them")


def test_unknown_courier_codes_are_named():
    body = {"trackingNumber": "RA123456785GB", "courierCode": ["ups", "nope", "Nada"]}
    (message,) = messages(refusal(body))
    assert message.startswith("courierCode contains unknown courier code(s) 'nope', 'Nada'.")


def test_courier_codes_helper_uses_the_given_field_name():
    errors: list[str] = []
    assert v.courier_codes("nope", errors, field="courierCodes") == ()
    assert errors[0].startswith("courierCodes contains unknown")


# --- recipient and settings --------------------------------------------------------------------


def test_recipient():
    body = {"trackingNumber": "RA123456785GB", "recipient": {"email": " a@b.co ", "name": " Ann "}}
    tracker = parse(body)
    assert (tracker.recipient_email, tracker.recipient_name) == ("a@b.co", "Ann")
    longest = {"email": "a@" + "b" * 248 + ".com", "name": "n" * 100}
    assert len(longest["email"]) == 254
    tracker = parse({"trackingNumber": "RA123456785GB", "recipient": longest})
    assert (tracker.recipient_email, tracker.recipient_name) == (longest["email"], "n" * 100)
    assert parse({"trackingNumber": "RA123456785GB", "recipient": None}).recipient_name is None


@pytest.mark.parametrize(
    ("recipient", "starts"),
    [
        ("Ann", "recipient must be an object"),
        (["Ann"], "recipient must be an object"),
        ({"email": "not-an-email"}, "recipient.email 'not-an-email' is not an email address."),
        ({"email": "a b@c.de"}, "recipient.email 'a b@c.de' is not an email address."),
        ({"email": "a@" + "b" * 249 + ".com"}, "recipient.email is 255 characters long"),
        ({"email": 5}, "recipient.email must be a string of at most 254 characters"),
        ({"name": "n" * 101}, "recipient.name is 101 characters long; the maximum is 100."),
        ({"name": False}, "recipient.name must be a string of at most 100 characters"),
    ],
)
def test_bad_recipients_name_the_field(recipient, starts):
    (message,) = messages(refusal({"trackingNumber": "RA123456785GB", "recipient": recipient}))
    assert message.startswith(starts)


@pytest.mark.parametrize(
    ("settings", "restrict"),
    [
        (None, False),
        ({}, False),
        ({"restrictTrackingToCourierCode": None}, False),
        ({"restrictTrackingToCourierCode": False}, False),
        ({"restrictTrackingToCourierCode": True}, True),
    ],
)
def test_restrict_setting(settings, restrict):
    body = {"trackingNumber": "RA123456785GB", "settings": settings}
    assert parse(body).restrict_to_courier is restrict
    with_codes = parse({**body, "courierCode": "ups"})
    assert with_codes.restrict_to_courier is restrict


@pytest.mark.parametrize(
    ("settings", "starts"),
    [
        (True, "settings must be an object"),
        ({"restrictTrackingToCourierCode": 1}, "settings.restrictTrackingToCourierCode must be"),
        ({"restrictTrackingToCourierCode": "true"}, "settings.restrictTrackingToCourierCode"),
    ],
)
def test_bad_settings_name_the_field(settings, starts):
    (message,) = messages(refusal({"trackingNumber": "RA123456785GB", "settings": settings}))
    assert message.startswith(starts)


# --- the whole request -------------------------------------------------------------------------


def test_every_problem_is_reported_at_once_in_field_order():
    error = refusal(
        {
            "trackingNumber": "AB",
            "shippingDate": "soon",
            "courierCode": "nope",
            "recipient": {"email": "x"},
            "settings": {"restrictTrackingToCourierCode": "y"},
            "shipmentReference": 1,
            "clientTrackerId": 2,
            "originCountryCode": "Q",
            "destinationCountryCode": "QQ",
            "destinationPostCode": "#",
            "courierName": 3,
            "trackingUrl": 4,
            "orderNumber": 5,
            "title": 6,
        }
    )
    assert error.code == "validation_error"
    assert [item.code for item in error.items] == ["validation_error"] * 14
    fields = [
        "trackingNumber",  # the Ship24 message names it first
        "shippingDate",
        "courierCode",
        "recipient.email",
        "settings.restrictTrackingToCourierCode",
        "shipmentReference",
        "clientTrackerId",
        "originCountryCode",
        "destinationCountryCode",
        "destinationPostCode",
        "courierName",
        "trackingUrl",
        "orderNumber",
        "title",
    ]
    for field, message in zip(fields, messages(error), strict=True):
        assert field in message, (field, message)


def test_extra_check_runs_and_its_errors_are_reported():
    def no_titles(body: dict[str, Any], errors: list[str]) -> None:
        if "title" in body:
            errors.append("title is not taken here.")

    assert parse({"trackingNumber": "RA123456785GB"}, extra_check=no_titles).title is None
    with pytest.raises(ApiError) as caught:
        parse({"trackingNumber": "RA123456785GB", "title": "x"}, extra_check=no_titles)
    assert [i.message for i in caught.value.items] == ["title is not taken here."]


def test_a_full_request_is_normalised():
    tracker = parse(
        {
            "trackingNumber": "ra123456785gb",
            "shipmentReference": "ref",
            "clientTrackerId": "order-1",
            "originCountryCode": "gbr",
            "destinationCountryCode": "fr",
            "destinationPostCode": "75001",
            "shippingDate": "2026-06-01T10:00:00Z",
            "courierCode": ["GB-POST"],
            "courierName": "Royal Mail",
            "trackingUrl": "https://example.com/t",
            "orderNumber": "1001",
            "title": "Shoes",
            "recipient": {"email": "ann@example.com", "name": "Ann"},
            "settings": {"restrictTrackingToCourierCode": True},
        }
    )
    assert tracker == v.TrackerInput(
        tracking_number="RA123456785GB",
        shipment_reference="ref",
        client_tracker_id="order-1",
        origin_country_code="GB",
        destination_country_code="FR",
        destination_post_code="75001",
        shipping_date=dt.date(2026, 6, 1),
        courier_codes=("gb-post",),
        courier_name="Royal Mail",
        tracking_url="https://example.com/t",
        order_number="1001",
        title="Shoes",
        recipient_email="ann@example.com",
        recipient_name="Ann",
        restrict_to_courier=True,
    )


# --- the reuse rule ----------------------------------------------------------------------------

DEFINING = {
    "shipping_date": (dt.date(2026, 6, 1), dt.date(2026, 6, 2)),
    "origin_country_code": ("GB", "FR"),
    "destination_country_code": ("FR", "DE"),
    "destination_post_code": ("75001", "75002"),
    "shipment_reference": ("ref-1", "ref-2"),
    "courier_name": ("Royal Mail", "La Poste"),
    "tracking_url": ("https://a.example/", "https://b.example/"),
    "restrict_to_courier": (True, False),
}


def _row(tracker: v.TrackerInput, **changes: Any) -> SimpleNamespace:
    values = {name: getattr(tracker, name) for name in DEFINING}
    values["courier_codes"] = list(tracker.courier_codes)
    values.update(changes)
    return SimpleNamespace(**values)


def _tracker(**changes: Any) -> v.TrackerInput:
    values: dict[str, Any] = {name: pair[0] for name, pair in DEFINING.items()}
    values.update(courier_codes=("gb-post", "fr-post"), **changes)
    return v.TrackerInput(tracking_number="RA123456785GB", **values)


def test_the_same_defining_fields_are_the_same_shipment():
    tracker = _tracker()
    assert tracker.same_shipment(_row(tracker))
    # Courier codes compare as a set; fields outside the rule do not matter.
    assert tracker.same_shipment(_row(tracker, courier_codes=["fr-post", "gb-post"]))
    assert _tracker(title="a", order_number="1").same_shipment(_row(_tracker(title="b")))


@pytest.mark.parametrize("field", sorted(DEFINING))
def test_each_defining_field_makes_another_shipment(field):
    tracker = _tracker()
    assert not tracker.same_shipment(_row(tracker, **{field: DEFINING[field][1]}))
    assert not tracker.same_shipment(_row(tracker, **{field: None}))


def test_other_courier_codes_make_another_shipment():
    tracker = _tracker()
    for codes in (["gb-post"], ["gb-post", "fr-post", "ups"], [], ["ups", "dhl"]):
        assert not tracker.same_shipment(_row(tracker, courier_codes=codes))


# --- every message, word for word ----------------------------------------------------------
# Clients show these to people: each names the field, what is wrong and what to send instead.

WORD_FOR_WORD = [
    (
        [],
        "Each tracker must be a JSON object with at least a trackingNumber, e.g. "
        '{"trackingNumber": "S24DEMO456393"}.',
    ),
    (
        {"title": "x"},
        "trackingNumber is required: send the parcel's tracking number, e.g. "
        '{"trackingNumber": "S24DEMO456393"}.',
    ),
    (
        {"trackingNumber": "S24DEMO456393", "originCountryCode": "FRAN"},
        "Please make sure that originCountryCode contains only 2 or 3 characters (an ISO 3166-1 "
        "alpha-2 or alpha-3 country code such as 'FR' or 'FRA').",
    ),
    (
        {"trackingNumber": "S24DEMO456393", "destinationPostCode": "75001!"},
        "destinationPostCode must be 1 to 32 characters of letters, digits, spaces, hyphens, "
        "underscores, slashes or dots, e.g. '75001' or 'SW1A 1AA'.",
    ),
    (
        {"trackingNumber": "S24DEMO456393", "shippingDate": "01/03/2021"},
        "shippingDate must be an ISO 8601 date or date-time, e.g. '2021-03-01', "
        "'2021-03-01T11:09:00', '2021-03-01T11:09:00.000Z' or '2021-03-01T11:09:00+02:00'.",
    ),
    (
        {"trackingNumber": "S24DEMO456393", "shippingDate": "2028-01-01"},
        "shippingDate 2028-01-01 is more than a year in the future; send the date the parcel "
        "was handed to the courier.",
    ),
    (
        {"trackingNumber": "S24DEMO456393", "shippingDate": "2026-01-01"},
        "shippingDate 2026-01-01 is more than 100 days old; shipments older than that are not "
        "tracked. Check the date, or leave it out.",
    ),
    (
        {"trackingNumber": "S24DEMO456393", "courierCode": 7},
        "courierCode must be a courier code string or an array of them, e.g. 'us-post' or "
        "['us-post', 'ups']. GET /couriers lists the codes.",
    ),
    (
        {"trackingNumber": "S24DEMO456393", "courierCode": ["no-such-courier"]},
        "courierCode contains unknown courier code(s) 'no-such-courier'. GET /couriers lists "
        "the valid codes.",
    ),
    (
        {"trackingNumber": "S24DEMO456393", "recipient": "Ann"},
        'recipient must be an object such as {"email": "ann@example.com", "name": "Ann Smith"}.',
    ),
    (
        {"trackingNumber": "S24DEMO456393", "settings": True},
        'settings must be an object such as {"restrictTrackingToCourierCode": true}.',
    ),
]


@pytest.mark.parametrize(("body", "message"), WORD_FOR_WORD, ids=lambda v: str(v)[:40])
def test_each_message_word_for_word(body, message):
    assert messages(refusal(body)) == [message]


def test_a_refused_part_returns_nothing_to_act_on():
    """A part that was refused gives no value, and no second refusal (outdated) either."""
    errors: list[str] = []
    assert v.shipping_date({"shippingDate": "garbage"}, errors, max_age_days=1, today=TODAY) == (
        None,
        False,
    )
    future = {"shippingDate": "2099-01-01"}
    assert v.shipping_date(future, errors, max_age_days=1, today=TODAY) == (None, False)
    assert v._restrict({"settings": [True]}, errors) is False
    assert v._restrict({"settings": {"restrictTrackingToCourierCode": "yes"}}, errors) is False
    assert v._recipient({"recipient": {"email": "not-an-address"}}, errors) == (None, None)
    assert len(errors) == 5


def test_a_single_character_is_a_placeholder():
    assert v.is_dummy("7")
    assert v.is_dummy("Z")
