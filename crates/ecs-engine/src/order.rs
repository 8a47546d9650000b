//! One stable sort shared by the many small lists the engine and the UI put
//! in order (diagnostics, fixes, completions, attributes, marks).
//!
//! Every `slice::sort_by` with its own closure makes the compiler emit the
//! standard library's whole sort again, 1–4 KB of WebAssembly each. These
//! functions sort positions through a comparator behind `dyn`, so the
//! standard sort is emitted once, then move the items into place. Hot loops
//! over primitives (placement's scratch lists) keep `sort_unstable`.

use std::cmp::Ordering;

/// Sorts `items` by `compare`, keeping equal items in their order.
pub fn sort_by<T>(items: &mut [T], mut compare: impl FnMut(&T, &T) -> Ordering) {
    let shared: &[T] = items;
    let order = sorted_positions(
        shared.len(),
        &mut |a, b| match (shared.get(a), shared.get(b)) {
            (Some(x), Some(y)) => compare(x, y),
            _ => Ordering::Equal,
        },
    );
    permute(items, order);
}

/// Sorts `items` by the key `key` gives each, keeping equal keys in order.
pub fn sort_by_key<T, K: Ord>(items: &mut [T], mut key: impl FnMut(&T) -> K) {
    sort_by(items, |a, b| key(a).cmp(&key(b)));
}

/// Sorts `items` in their natural order.
pub fn sort<T: Ord>(items: &mut [T]) {
    sort_by(items, T::cmp);
}

/// `0..len` in the order `compare` puts those positions: the only place
/// the standard sort is instantiated.
fn sorted_positions(len: usize, compare: &mut dyn FnMut(usize, usize) -> Ordering) -> Vec<usize> {
    let mut order: Vec<usize> = (0..len).collect();
    order.sort_by(|&a, &b| compare(a, b));
    order
}

/// Rearranges `items` so that position `i` holds what was at `order[i]`,
/// following each cycle of the permutation with swaps.
fn permute<T>(items: &mut [T], mut order: Vec<usize>) {
    for start in 0..order.len() {
        let mut current = start;
        loop {
            let next = order.get(current).copied().unwrap_or(current);
            if next == current {
                break;
            }
            // Mark `current` as in place before moving on.
            if let Some(slot) = order.get_mut(current) {
                *slot = current;
            }
            if next == start {
                break;
            }
            items.swap(current, next);
            current = next;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Agrees with the standard stable sort on many shapes of input,
    /// including runs of equal keys whose order must be kept.
    #[test]
    fn agrees_with_the_standard_stable_sort() {
        let mut seed = 0x2545_f491_4f6c_dd1d_u64;
        let mut next = move || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed
        };
        for len in [0, 1, 2, 3, 5, 8, 17, 64, 257] {
            for spread in [1, 3, 1000] {
                let items: Vec<(u64, usize)> = (0..len).map(|i| (next() % spread, i)).collect();
                let mut ours = items.clone();
                sort_by_key(&mut ours, |(k, _)| *k);
                let mut standard = items.clone();
                standard.sort_by_key(|(k, _)| *k);
                assert_eq!(ours, standard, "len {len}, spread {spread}");
            }
        }
    }

    #[test]
    fn sorts_in_natural_and_custom_orders() {
        let mut words = vec!["pear", "apple", "fig", "apple"];
        sort(&mut words);
        assert_eq!(words, ["apple", "apple", "fig", "pear"]);
        sort_by(&mut words, |a, b| b.len().cmp(&a.len()));
        assert_eq!(words, ["apple", "apple", "pear", "fig"]);
        let mut owned: Vec<String> = vec!["b".into(), "a".into()];
        sort(&mut owned);
        assert_eq!(owned, ["a", "b"]);
    }
}
