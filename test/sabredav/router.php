<?php
// Router for `php -S 127.0.0.1:PORT router.php`: the host root of a Baïkal-like install, where SabreDAV
// lives under /dav.php/ and /.well-known/caldav redirects there (as Baïkal's shipped web server configs do).

$path = parse_url($_SERVER['REQUEST_URI'], PHP_URL_PATH);
if ($path === '/.well-known/caldav' || $path === '/.well-known/caldav/') {
    header('Location: /dav.php/', true, 301);
    return true;
}
if ($path === '/dav.php' || strpos($path, '/dav.php/') === 0) {
    require __DIR__ . '/server.php';
    return true;
}
http_response_code(404);
header('Content-Type: text/plain');
echo "Not found\n";
return true;
