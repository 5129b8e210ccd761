"""A client generated from the server's own OpenAPI document logs in and posts a vacancy.

Usage: generated_client.py BASE_URL. run.sh generates `seasonlink_api_client` with a pinned
openapi-python-client from BASE_URL/api/openapi.json and installs it into the contract venv
first. Everything below goes through the generated package only — its Client and
AuthenticatedClient, its models and its `api.*` functions; no hand-written HTTP — so that a
document a standard generator cannot turn into a working client fails the contract run.

As the demo employer (Ningming Dongya Sugar, region 451422 in Chongzuo, crossing Aidian;
backend/app/src/demo/mod.rs): log in, read the wage floor for cane loading there, post an
hourly vacancy above it, read it back as the employer and as nobody, and see the documented
refusals come back as problems: a wage below the floor (422 below_wage_floor, with the
floor and the shortfall), a season that ends before it starts (422 invalid_season) and a
wrong password (401 invalid_credentials). The season starts two weeks after today's date:
the demo server runs on the system clock. Exits 1 at the first thing that is not so.
"""

import datetime
import importlib
import pkgutil
import sys

import seasonlink_api_client
from seasonlink_api_client import AuthenticatedClient, Client
from seasonlink_api_client.api.accounts import login
from seasonlink_api_client.api.vacancies import create, get
from seasonlink_api_client.api.wage_floors import resolve
from seasonlink_api_client.models import (
    Deduction,
    LoginRequest,
    LoginResponse,
    PayBasis,
    Problem,
    Resolved,
    Vacancy,
    VacancyInput,
)

EMPLOYER = "employer@demo.seasonlink.vn"
PASSWORD = "seasonlink-demo"
REGION, CROSSING, OCCUPATION = "451422", "aidian", "cane_loading"


class Failed(Exception):
    pass


def check(condition, what):
    if not condition:
        raise Failed(what)


def answer(response, status, parsed_type, what):
    """The parsed body of a generated `*_detailed` call that must answer `status`."""
    body = response.parsed
    check(
        response.status_code == status and isinstance(body, parsed_type),
        f"{what}: expected {status} {parsed_type.__name__}, got {int(response.status_code)} "
        f"{response.content[:400]!r}",
    )
    return body


def vacancy_input(season_start, season_end, wage_fen):
    return VacancyInput(
        title="Cane loaders (generated client)",
        occupation_code=OCCUPATION,
        region_code=REGION,
        crossing_code=CROSSING,
        headcount=4,
        season_start=season_start,
        season_end=season_end,
        hours_per_week=48,
        guaranteed_hours_per_week=40,
        required_skills=["heavy_loading"],
        pay_basis=PayBasis.HOURLY,
        wage_fen=wage_fen,
        deductions=[Deduction(kind="meals", fen_per_month=15_000)],
        housing_provided=True,
        description_zh="甘蔗装车，每小时按工资发放。",
        description_vi="Bốc xếp mía lên xe, trả theo giờ.",
    )


def run(base_url):
    # Every generated module imports (a generator bug shows here, not in production).
    modules = 0
    for info in pkgutil.walk_packages(seasonlink_api_client.__path__, "seasonlink_api_client."):
        importlib.import_module(info.name)
        modules += 1

    nobody = Client(base_url=base_url, raise_on_unexpected_status=True)

    refused = login.sync_detailed(client=nobody, body=LoginRequest(email=EMPLOYER, password="not-the-password"))
    problem = answer(refused, 401, Problem, "a wrong password")
    check(problem.code == "invalid_credentials", f"a wrong password: code {problem.code}")

    logged_in = answer(
        login.sync_detailed(client=nobody, body=LoginRequest(email=EMPLOYER, password=PASSWORD)),
        200,
        LoginResponse,
        "the employer's login",
    )
    check(logged_in.token_type == "Bearer", f"token_type {logged_in.token_type}")
    check(str(logged_in.user.role) == "employer", f"logged in as {logged_in.user.role}")
    employer = AuthenticatedClient(base_url=base_url, token=logged_in.token, raise_on_unexpected_status=True)

    start = datetime.date.today() + datetime.timedelta(days=14)
    end = start + datetime.timedelta(weeks=16)
    floor = answer(
        resolve.sync_detailed(client=nobody, region_code=REGION, occupation_code=OCCUPATION, on=start),
        200,
        Resolved,
        "the wage floor",
    )
    wage = floor.hourly_fen + 250

    posted = answer(
        create.sync_detailed(client=employer, body=vacancy_input(start, end, wage)),
        201,
        Vacancy,
        "posting a vacancy above the floor",
    )
    check(posted.status == "open", f"the new vacancy is {posted.status}")
    check(posted.hourly_equivalent_fen == wage, f"hourly equivalent {posted.hourly_equivalent_fen}, not {wage}")
    check(posted.floor.hourly_fen == floor.hourly_fen, f"checked against {posted.floor.hourly_fen}")
    check(posted.floor.binding_rule.id == floor.binding_rule.id, "checked against another rule")

    for who, client in (("the employer", employer), ("nobody", nobody)):
        # (The generated `get` is typed for an AuthenticatedClient: the generator reads the
        # operation's `security: [{}, {bearer: []}]` as a login required, though `{}` makes it
        # optional. At run time a plain Client sends no Authorization header, as intended.)
        read = answer(get.sync_detailed(posted.id, client=client), 200, Vacancy, f"reading it back as {who}")
        for field in ("id", "title", "region_code", "crossing_code", "occupation_code", "headcount",
                      "season_start", "season_end", "pay_basis", "wage_fen", "housing_provided"):
            check(getattr(read, field) == getattr(posted, field), f"{who} reads {field} {getattr(read, field)!r}")
        check([d.to_dict() for d in read.deductions] == [{"kind": "meals", "fen_per_month": 15_000}],
              f"{who} reads the deductions {read.deductions}")

    low = floor.hourly_fen - 200
    below = answer(
        create.sync_detailed(client=employer, body=vacancy_input(start, end, low)),
        422,
        Problem,
        "a vacancy below the floor",
    )
    check(below.code == "below_wage_floor", f"below the floor: code {below.code}")
    extra = below.additional_properties
    check(extra.get("floor_hourly_fen") == floor.hourly_fen, f"below the floor: floor {extra.get('floor_hourly_fen')}")
    check(extra.get("offered_hourly_fen") == low, f"below the floor: offered {extra.get('offered_hourly_fen')}")
    check(extra.get("shortfall_fen") == 200, f"below the floor: shortfall {extra.get('shortfall_fen')}")

    backwards = answer(
        create.sync_detailed(client=employer, body=vacancy_input(end, start, wage)),
        422,
        Problem,
        "a season that ends before it starts",
    )
    check(backwards.code == "invalid_season", f"a backwards season: code {backwards.code}")

    print(
        f"    generated client: {modules} modules import; logged in as {EMPLOYER}, posted vacancy {posted.id} "
        f"at {wage} fen/h (floor {floor.hourly_fen}) and read it back; refused as documented: "
        "invalid_credentials, below_wage_floor, invalid_season"
    )


def main():
    try:
        run(sys.argv[1])
    except Failed as failure:
        print(f"    generated client: FAILED: {failure}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
