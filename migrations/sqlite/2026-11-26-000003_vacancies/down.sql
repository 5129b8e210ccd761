DROP TABLE vacancy_skills;
DROP TABLE vacancy_deductions;
DROP TABLE vacancies;
DROP TABLE wage_floor_guard;
DROP TABLE wage_floor_rules;
DROP TABLE employers;
