//! A [`Fen`] in the database: a BIGINT on both backends, bound and read as the `i64` it holds.
//! (Written here rather than derived: the domain, where `Fen` lives, knows nothing of diesel.)

use diesel::backend::Backend;
use diesel::deserialize::{self, FromSql, Queryable};
use diesel::expression::AsExpression;
use diesel::serialize::{self, Output, ToSql};
use diesel::sql_types::{BigInt, Nullable, SingleValue};

use crate::domain::money::Fen;

/// An amount as an SQL expression: its number of fen, for a column that is or may be null.
macro_rules! as_expression {
    ($($sql_type:ty),*) => {$(
        impl AsExpression<$sql_type> for Fen {
            type Expression = <i64 as AsExpression<$sql_type>>::Expression;

            fn as_expression(self) -> Self::Expression {
                AsExpression::<$sql_type>::as_expression(self.get())
            }
        }

        impl AsExpression<$sql_type> for &Fen {
            type Expression = <i64 as AsExpression<$sql_type>>::Expression;

            fn as_expression(self) -> Self::Expression {
                AsExpression::<$sql_type>::as_expression(self.get())
            }
        }
    )*};
}

as_expression!(BigInt, Nullable<BigInt>);

impl<DB: Backend> ToSql<BigInt, DB> for Fen
where
    i64: ToSql<BigInt, DB>,
{
    fn to_sql<'b>(&'b self, out: &mut Output<'b, '_, DB>) -> serialize::Result {
        self.as_ref().to_sql(out)
    }
}

impl<DB: Backend> FromSql<BigInt, DB> for Fen
where
    i64: FromSql<BigInt, DB>,
{
    fn from_sql(bytes: DB::RawValue<'_>) -> deserialize::Result<Self> {
        i64::from_sql(bytes).map(Fen::new)
    }
}

impl<DB, ST> Queryable<ST, DB> for Fen
where
    DB: Backend,
    ST: SingleValue,
    Fen: FromSql<ST, DB>,
{
    type Row = Fen;

    fn build(row: Fen) -> deserialize::Result<Fen> {
        Ok(row)
    }
}
