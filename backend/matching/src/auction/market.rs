//! The slots of every vacancy, sold by the auction: one binary min-heap by price per
//! vacancy, so the cheapest slot (the vacancy's asking price) is at hand.

use super::NONE;

#[derive(Clone, Copy, Debug)]
pub(super) struct Slot {
    pub(super) price: i64,
    pub(super) holder: u32,
}

/// Slots of all vacancies: one binary min-heap by price per vacancy.
pub(super) struct Market {
    start: Vec<usize>,
    pub(super) slots: Vec<Slot>,
    /// Lowest slot price per vacancy (`i64::MAX` for a vacancy without slots).
    pub(super) ask: Vec<i64>,
}

impl Market {
    #[inline]
    pub(super) fn new(capacity: &[u32]) -> Self {
        let mut start = Vec::with_capacity(capacity.len() + 1);
        let mut total = 0usize;
        start.push(0);
        for &c in capacity {
            total += c as usize;
            start.push(total);
        }
        let slots = vec![Slot { price: 0, holder: NONE }; total];
        let ask = capacity.iter().map(|&c| if c == 0 { i64::MAX } else { 0 }).collect();
        Self { start, slots, ask }
    }

    #[inline]
    pub(super) fn range(&self, j: usize) -> std::ops::Range<usize> {
        self.start[j]..self.start[j + 1]
    }

    /// Sells the cheapest slot of `j` to `holder` at `price`; returns the evicted holder.
    #[inline]
    pub(super) fn replace_min(&mut self, j: usize, price: i64, holder: u32) -> u32 {
        let r = self.range(j);
        let h = &mut self.slots[r];
        let Some(root) = h.first_mut() else {
            return NONE;
        };
        let evicted = root.holder;
        *root = Slot { price, holder };
        sift_down(h, 0);
        self.ask[j] = h[0].price;
        evicted
    }

    /// Lowers the price of slot `pos` (an index within `j`'s heap) and gives it to `holder`.
    #[inline]
    pub(super) fn lower(&mut self, j: usize, pos: usize, price: i64, holder: u32) {
        let r = self.range(j);
        let h = &mut self.slots[r];
        h[pos] = Slot { price, holder };
        let mut k = pos;
        while k > 0 {
            let parent = (k - 1) / 2;
            if h[parent].price <= h[k].price {
                break;
            }
            h.swap(parent, k);
            k = parent;
        }
        self.ask[j] = h[0].price;
    }
}

#[inline]
pub(super) fn heapify(h: &mut [Slot]) {
    for k in (0..h.len() / 2).rev() {
        sift_down(h, k);
    }
}

#[inline]
pub(super) fn sift_down(h: &mut [Slot], mut k: usize) {
    let n = h.len();
    loop {
        let l = 2 * k + 1;
        if l >= n {
            return;
        }
        let r = l + 1;
        let c = if r < n && h[r].price < h[l].price { r } else { l };
        if h[k].price <= h[c].price {
            return;
        }
        h.swap(k, c);
        k = c;
    }
}
