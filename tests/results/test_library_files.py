"""The Library's files are named in one place, results.national.LIBRARY_FILES: the
import command's help and `--folder` read it, as scripts/import-national does. The
rehearsal's oracle keeps its own names, since it imports nothing of the site's: they
must be the same."""

import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

from results.management.commands.import_national import Command
from results.models import Constituency, Result
from tests.national_data import FILES, import_national_arguments, national_data

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "scripts"))

from rehearsal import oracle  # noqa: E402

pytestmark = pytest.mark.django_db


def test_the_oracle_reads_the_files_the_site_imports():
    names = {oracle.CONSTITUENCIES, oracle.CANDIDATES, oracle.TIMES, oracle.NOTIONALS}
    assert names == set(FILES.values())


def import_national(*arguments):
    out = StringIO()
    call_command("import_national", *arguments, stdout=out)
    return out.getvalue()


def test_the_command_names_each_file_as_the_library_publishes_it():
    help_text = " ".join(
        Command().create_parser("manage.py", "import_national").format_help().split()
    )
    for option, name in FILES.items():
        assert f"--{option} {option.upper()} {name}" in help_text


def test_a_folder_of_the_library_files_imports_as_naming_each_file_does():
    folder = national_data()
    import_national("--folder", str(folder))
    assert Constituency.objects.count() == Result.objects.count() == 650
    again = import_national("--dry-run", *import_national_arguments(folder))
    assert "created nothing; updated nothing; removed nothing" in again
