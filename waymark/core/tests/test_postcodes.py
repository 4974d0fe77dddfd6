"""Normalising postcodes and loading the ONS Postcode Directory."""

from decimal import Decimal

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from waymark.core.choices import AreaType
from waymark.core.factories import AreaFactory
from waymark.core.models import Postcode
from waymark.core.postcodes import PostcodeFileError, load_postcodes, normalise_postcode, postcode_district


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("sw1a1aa", "SW1A 1AA"),
        ("  ec1a 1bb ", "EC1A 1BB"),
        ("M1 1AE", "M1 1AE"),
        ("b338th", "B33 8TH"),
        ("CR2  6XH", "CR2 6XH"),
        ("dn55\t1pt", "DN55 1PT"),
        ("w1a0ax", "W1A 0AX"),
        ("gir 0aa", "GIR 0AA"),
    ],
)
def test_normalise_postcode(raw, expected):
    assert normalise_postcode(raw) == expected


@pytest.mark.parametrize("raw", ["", "SW1A", "12345", "SW1A 1A", "SW1A 1AAA", "not a postcode", "1AA SW1"])
def test_normalise_postcode_names_what_is_wrong(raw):
    with pytest.raises(ValueError, match=repr(raw).replace("\\", "\\\\")):
        normalise_postcode(raw)


def test_postcode_district():
    assert postcode_district("sw1a1aa") == "SW1A"
    assert postcode_district("M1 1AE") == "M1"


ONSPD_HEADER = "pcd,pcd2,pcds,dointr,doterm,osward,lsoa11,lsoa21,lat,long\n"


@pytest.fixture
def areas(db):
    return {
        "lsoa": AreaFactory(area_type=AreaType.LSOA, code="E01999001", vintage=2021),
        "lsoa_2011": AreaFactory(area_type=AreaType.LSOA, code="E01999001", vintage=2011),
        "ward": AreaFactory(area_type=AreaType.WARD, code="E05999001", vintage=2022),
    }


def write(tmp_path, text, name="onspd.csv"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def onspd_row(pcd, lat="51.530000", long="-0.100000", doterm="", lsoa21="E01999001", ward="E05999001"):
    return f"{pcd},{pcd},{pcd},202001,{doterm},{ward},E01000001,{lsoa21},{lat},{long}\n"


def test_loads_live_postcodes_with_their_areas_and_counts_what_it_skips(tmp_path, areas):
    path = write(
        tmp_path,
        ONSPD_HEADER
        + onspd_row("RV1 1AB")
        + onspd_row("RV1 1AD", doterm="202306")
        + onspd_row("RV1 1AE", lat="99.999999", long="0.000000")
        + onspd_row("RV1  2BD", lsoa21="", ward=""),
    )

    result = load_postcodes(path)

    assert (result.loaded, result.skipped_terminated, result.skipped_no_location) == (2, 1, 1)
    loaded = Postcode.objects.get(postcode="RV1 1AB")
    assert loaded.district == "RV1"
    assert loaded.latitude == Decimal("51.530000")
    assert loaded.lsoa == areas["lsoa"]  # the 2021 LSOA, because the column is lsoa21
    assert loaded.ward == areas["ward"]
    assert Postcode.objects.get(postcode="RV1 2BD").lsoa is None
    assert "Skipped 1 terminated postcodes" in str(result)


def test_loading_again_updates_rather_than_duplicates(tmp_path, areas):
    load_postcodes(write(tmp_path, ONSPD_HEADER + onspd_row("RV1 1AB")))
    load_postcodes(write(tmp_path, ONSPD_HEADER + onspd_row("RV1 1AB", lat="51.540000"), "second.csv"))

    assert Postcode.objects.count() == 1
    assert Postcode.objects.get().latitude == Decimal("51.540000")


def test_a_bad_value_names_row_and_column_and_nothing_is_saved(tmp_path, areas):
    rows = [onspd_row(f"RV1 {n}AB") for n in range(1, 4)] + [onspd_row("RV1 4AB", lat="abc")]
    path = write(tmp_path, ONSPD_HEADER + "".join(rows))

    with pytest.raises(PostcodeFileError, match=r"Row 5, column lat: 'abc' is not a latitude"):
        load_postcodes(path, batch_size=2)  # two batches were already written when row 5 fails

    assert Postcode.objects.count() == 0


def test_a_bad_postcode_names_row_and_column(tmp_path, areas):
    path = write(tmp_path, ONSPD_HEADER + onspd_row("RV1 1AB") + onspd_row("NOPE"))

    with pytest.raises(PostcodeFileError, match=r"Row 3, column pcds: 'NOPE' is not a UK postcode"):
        load_postcodes(path)


def test_an_unknown_area_is_an_error_unless_asked_to_skip(tmp_path, areas):
    path = write(tmp_path, ONSPD_HEADER + onspd_row("RV1 1AB") + onspd_row("RV1 2AB", lsoa21="E01000999"))

    with pytest.raises(PostcodeFileError, match=r"Row 3, column lsoa21: 'E01000999' is not an area"):
        load_postcodes(path)
    assert Postcode.objects.count() == 0

    result = load_postcodes(path, skip_unknown_areas=True)
    assert (result.loaded, result.skipped_unknown_area) == (1, 1)


def test_reads_newer_nspl_column_names(tmp_path, areas):
    ward = AreaFactory(area_type=AreaType.WARD, code="E05999002", vintage=2025)
    path = write(
        tmp_path,
        "\ufeffPCD7,PCDS,DOTERM,LSOA21CD,WD25CD,LAT,LONG\nRV1 1AB,RV1 1AB,,E01999001,E05999002,51.5,-0.1\n",
    )

    assert load_postcodes(path).loaded == 1
    assert Postcode.objects.get().ward == ward


def test_a_missing_column_is_named(tmp_path, db):
    with pytest.raises(PostcodeFileError, match="no lat column"):
        load_postcodes(write(tmp_path, "pcds,long\nRV1 1AB,-0.1\n"))


def test_command_reports_the_load_and_stops_on_errors(tmp_path, areas, capsys):
    good = write(tmp_path, ONSPD_HEADER + onspd_row("RV1 1AB") + onspd_row("RV1 1AD", doterm="202306"))
    call_command("load_postcodes", str(good))
    assert "Loaded 1 postcodes. Skipped 1 terminated postcodes." in capsys.readouterr().out

    bad = write(tmp_path, ONSPD_HEADER + onspd_row("RV1 2AB", long="200"), "bad.csv")
    with pytest.raises(CommandError, match=r"Nothing was loaded\. Row 2, column long: '200' is not a longitude"):
        call_command("load_postcodes", str(bad))
